/** Full HCL syntax check; returns a "file:line,col: message" error or null. */
export interface HclValidator {
  validate(path: string, text: string): Promise<string | null>;
}
