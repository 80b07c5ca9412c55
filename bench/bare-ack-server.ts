/**
 * The floor for the ack-latency benchmark: a node:http server in its own process that reads each
 * body and answers 202, doing nothing else. The same clients against it show what this machine
 * gives any Node server under that load, before tfgate does any work.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(202, { "content-type": "application/json" }).end(`{"status":"accepted"}\n`));
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on("disconnect", () => process.exit(0));
