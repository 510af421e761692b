// A strict-enough XML well-formedness check for the SVG we serve, used by the tests (Node
// has no XML parser, and a lenient HTML parser would accept what an image viewer refuses):
// every tag opens and closes in order, attributes are quoted and unique, ampersands are
// entities, and there is exactly one root element.
const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>/y;
const ATTRIBUTE = /([A-Za-z_:][\w:.-]*)="/g;
const BARE_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

export function xmlProblems(document: string): string[] {
  const problems: string[] = [];
  const xml = document.replace(/^<\?xml [^?]*\?>\s*/, "");
  if (BARE_AMPERSAND.test(xml)) problems.push("an ampersand that is not an entity");
  const open: string[] = [];
  let roots = 0;
  for (let at = xml.indexOf("<"); at >= 0; at = xml.indexOf("<", at + 1)) {
    if (open.length === 0 && xml.slice(0, at).trim() !== "" && roots === 0)
      problems.push("text before the root element");
    TAG.lastIndex = at;
    const tag = TAG.exec(xml);
    if (!tag) {
      problems.push(`a malformed tag at ${at}: ${xml.slice(at, at + 40)}`);
      continue;
    }
    const [, closing, name, attributes, selfClosing] = tag;
    const names = [...attributes!.matchAll(ATTRIBUTE)].map((m) => m[1]);
    if (new Set(names).size !== names.length) problems.push(`a repeated attribute in <${name}>`);
    if (open.length === 0 && !closing) roots++;
    if (closing) {
      const expected = open.pop();
      if (expected !== name) problems.push(`</${name}> closes <${expected ?? "nothing"}>`);
    } else if (!selfClosing) {
      open.push(name!);
    }
  }
  if (open.length) problems.push(`unclosed <${open.join("> <")}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}
