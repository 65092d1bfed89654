// A small multipart/form-data parser for Bot API uploads. grammY writes file names unquoted
// (`filename=report.pdf`), which stricter parsers reject; this one accepts both forms.

export interface UploadedFile {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string>;
  files: Map<string, UploadedFile>;
}

function headerParam(header: string, name: string): string | undefined {
  const re = new RegExp(`(?:^|;)\\s*${name}=(?:"([^"]*)"|([^;]*))`, "i");
  const m = re.exec(header);
  return m ? (m[1] ?? m[2]?.trim()) : undefined;
}

export function boundaryOf(contentType: string): string | undefined {
  return headerParam(contentType, "boundary");
}

export function parseMultipart(body: Buffer, contentType: string): MultipartBody {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error("multipart body without boundary");
  const delimiter = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break; // closing delimiter
    if (body.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    let end = next;
    if (body.subarray(end - 2, end).toString() === "\r\n") end -= 2;
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd !== -1) {
      const headers: Record<string, string> = {};
      for (const line of part.subarray(0, headerEnd).toString("utf8").split("\r\n")) {
        const i = line.indexOf(":");
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const disposition = headers["content-disposition"] ?? "";
      const name = headerParam(disposition, "name");
      const filename = headerParam(disposition, "filename");
      const content = part.subarray(headerEnd + 4);
      if (name !== undefined) {
        if (filename !== undefined) {
          files.set(name, {
            filename,
            contentType: headers["content-type"] ?? "application/octet-stream",
            bytes: Buffer.from(content),
          });
        } else {
          fields[name] = content.toString("utf8");
        }
      }
    }
    pos = next;
  }
  return { fields, files };
}
