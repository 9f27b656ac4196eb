/**
 * A path on this server, for the redirect after `?token=`: anything that a browser could read as another host
 * (`//other.host/…`, `/\\other.host`, a scheme) becomes `/`.
 */
export function safeRedirectPath(target: string): string {
  if (!target.startsWith('/') || target.startsWith('//') || target.includes('\\')) return '/'
  const resolved = new URL(target, 'http://preview.invalid')
  return resolved.host === 'preview.invalid' ? `${resolved.pathname}${resolved.search}` : '/'
}
