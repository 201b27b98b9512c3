/** One problem in a pipeline file, where an editor can jump to it. */
export interface PipelineFinding {
  file: string;
  line?: number;
  problem: string;
}

/** The 1-based line of the first match in a text, for findings made from a pattern rather than a parse. */
export function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}
