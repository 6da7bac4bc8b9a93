/** The path of the console's evidence upload (docs/alarms.md, "Evidence"); the file's name
 * travels in the query, so any name (spaces, Chinese, #) arrives intact. */
export function evidencePath(caseId: string, fileName: string): string {
  return `/alarm-cases/${encodeURIComponent(caseId)}/evidence?file_name=${encodeURIComponent(fileName)}`;
}
