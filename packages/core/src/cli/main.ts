/** Entry of the `liqmon` command. Returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  process.stdout.write(`liqmon ${argv.join(' ')}\n`);
  return 0;
}
