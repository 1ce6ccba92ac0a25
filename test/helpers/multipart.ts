/** A multipart body as a browser sends it. */
export function multipart(fields: Record<string, string>, file?: { name: string; type: string; bytes: Buffer }) {
  const boundary = '----opendmp' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`));
    parts.push(file.bytes, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** The same body cut before its closing boundary, as a client that stops sending leaves it. */
export function withoutClosingBoundary(body: ReturnType<typeof multipart>) {
  const boundary = /boundary=(.+)$/.exec(body.headers['content-type'])![1]!;
  return { ...body, payload: body.payload.subarray(0, body.payload.lastIndexOf(`--${boundary}--`)) };
}
