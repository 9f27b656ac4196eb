// multipart/form-data as twitter-api-v2 writes it (its own encoder: the media part has a content type but no
// filename, which the WHATWG FormData parser would read as text and spoil).

export interface FilePart {
  size: number
  type: string
  bytes: Buffer
}

export function parseMultipart(raw: Buffer, contentType: string): Record<string, string | FilePart> {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1]
  if (!boundary) throw new Error('multipart without a boundary')
  const delimiter = Buffer.from(`--${boundary}`)
  const out: Record<string, string | FilePart> = {}
  let at = raw.indexOf(delimiter)
  while (at >= 0) {
    const start = at + delimiter.length
    if (raw.subarray(start, start + 2).toString() === '--') break
    const next = raw.indexOf(delimiter, start)
    if (next < 0) break
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF.
    const chunk = raw.subarray(start + 2, next - 2)
    const split = chunk.indexOf('\r\n\r\n')
    const headers = chunk.subarray(0, split).toString('utf8')
    const content = chunk.subarray(split + 4)
    const name = /name="([^"]*)"/.exec(headers)?.[1]
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]
    if (name !== undefined)
      out[name] = type
        ? { size: content.length, type, bytes: Buffer.from(content) }
        : content.toString('utf8')
    at = next
  }
  return out
}
