/** The project's optional settings file: named here, apart from project-file.ts, so that naming it loads no YAML parser. */
export const PROJECT_FILE = 'advisory.yaml';
