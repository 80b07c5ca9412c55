import { helpText as helpTable } from "../../src/domain/commands/help-text.js";
import { parseCommands as parse } from "../../src/domain/commands/parse-commands.js";
import { defaultCommands } from "../../src/app/commands/command-registry.js";

/** The parser as the server runs it: with tfgate's registered commands. */
export const parseCommands = (body: string) => parse(body, defaultCommands.commands);

/** The `/help` reply as the server sends it. */
export const helpText = () => helpTable(defaultCommands.commands);
