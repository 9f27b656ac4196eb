import ICAL from 'ical.js'

// @NOTE Reads an ICS the way a calendar app does: through a standard parser (ical.js), with the file's own
// VTIMEZONE registered, so the instant comes from the TZID wall time and not from anything we wrote twice.

export interface ReadEvent {
  uid: string
  /** Wall time as written, in the event's TZID. */
  local: string
  tzid: string
  /** The instant ical.js computes from the wall time and the VTIMEZONE. */
  utc: string
  summary: string
  description: string
}

export function readIcs(text: string): ReadEvent[] {
  const cal = new ICAL.Component(ICAL.parse(text))
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz)
  return cal.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c)
    return {
      uid: e.uid,
      local: e.startDate.toString(),
      tzid: String(c.getFirstProperty('dtstart')?.getParameter('tzid') ?? ''),
      utc: new Date(e.startDate.toUnixTime() * 1000).toISOString().replace('.000Z', 'Z'),
      summary: e.summary,
      description: e.description,
    }
  })
}
