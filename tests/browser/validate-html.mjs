// html-validate as a worker for the browser tests (browsing.html_problems): one HTML page per
// line of JSON on stdin, its messages as one line of JSON on stdout, so Node starts once.
import { createRequire } from "node:module";
import readline from "node:readline";
import { HtmlValidate } from "html-validate";

const config = createRequire(import.meta.url)("./htmlvalidate.cjs");
const validator = new HtmlValidate(config);
for await (const line of readline.createInterface({ input: process.stdin })) {
  const report = await validator.validateString(JSON.parse(line), "page.html");
  const messages = report.results.flatMap((result) => result.messages);
  process.stdout.write(JSON.stringify(messages) + "\n");
}
