/** The value of `--name=value` among the command's arguments, if given. */
export function option(name: string): string | undefined {
  return process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}
