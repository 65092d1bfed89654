// A small CSV parser for the import: UTF-8 (a BOM is dropped), comma or semicolon separated (guessed from the
// header line), fields optionally quoted with "" as an escaped quote, quoted fields may span lines.

export function detectDelimiter(text: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ",") commas++;
    else if (!quoted && ch === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

/** Records of the text; each record's cells are untrimmed strings. Blank lines give an empty record. */
export function parseCsv(
  input: string,
  delimiter: "," | ";" = detectDelimiter(input.replace(/^\uFEFF/, "")),
): string[][] {
  const text = input.replace(/^\uFEFF/, "");
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  const endRecord = () => {
    record.push(field);
    records.push(record.length === 1 && record[0] === "" ? [] : record);
    record = [];
    field = "";
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field.trim() === "") {
      field = "";
      quoted = true;
    } else if (ch === delimiter) {
      record.push(field);
      field = "";
    } else if (ch === "\r") {
      endRecord();
      if (text[i + 1] === "\n") i++;
    } else if (ch === "\n") {
      endRecord();
    } else {
      field += ch;
    }
    i++;
  }
  if (field !== "" || record.length > 0) endRecord();
  return records;
}
