/**
 * Reads curl's argv into a plain description of the request (no bytes yet). Only options
 * that change what curl puts on the wire matter; options that only change what curl does
 * locally (output, verbosity, retries) are accepted silently; anything else becomes a
 * warning, never a failure.
 */

export type DataKind = 'ascii' | 'binary' | 'raw' | 'urlencode' | 'json';

export interface CurlSpec {
  urls: string[];
  method: string | null;
  head: boolean;
  get: boolean;
  /** `-H` values in order (also what --json adds). */
  headers: string[];
  data: Array<{ kind: DataKind; value: string }>;
  forms: Array<{ value: string; literal: boolean }>;
  user: string | null;
  userAgent: string | null;
  referer: string | null;
  cookies: string[];
  compressed: boolean;
  insecure: boolean;
  pathAsIs: boolean;
  uploadFile: string | null;
  /** --request-target: sent verbatim instead of the URL's path. */
  requestTarget: string | null;
  warnings: string[];
}

type Apply = (spec: CurlSpec, value: string) => void;
interface OptionDef {
  names: string[];
  /** Takes a value (the next word, or the rest of a short-option word). */
  arg: boolean;
  apply?: Apply;
}

const addData =
  (kind: DataKind): Apply =>
  (s, v) => {
    s.data.push({ kind, value: v });
  };

const OPTIONS: OptionDef[] = [
  { names: ['-X', '--request'], arg: true, apply: (s, v) => (s.method = v) },
  { names: ['-H', '--header'], arg: true, apply: (s, v) => void s.headers.push(v) },
  { names: ['-d', '--data', '--data-ascii'], arg: true, apply: addData('ascii') },
  { names: ['--data-binary'], arg: true, apply: addData('binary') },
  { names: ['--data-raw'], arg: true, apply: addData('raw') },
  { names: ['--data-urlencode'], arg: true, apply: addData('urlencode') },
  {
    names: ['--json'],
    arg: true,
    apply: (s, v) => {
      s.data.push({ kind: 'json', value: v });
      const has = (n: string) => s.headers.some((h) => h.toLowerCase().startsWith(n));
      if (!has('content-type:')) s.headers.push('Content-Type: application/json');
      if (!has('accept:')) s.headers.push('Accept: application/json');
    },
  },
  {
    names: ['-F', '--form'],
    arg: true,
    apply: (s, v) => void s.forms.push({ value: v, literal: false }),
  },
  {
    names: ['--form-string'],
    arg: true,
    apply: (s, v) => void s.forms.push({ value: v, literal: true }),
  },
  { names: ['-u', '--user'], arg: true, apply: (s, v) => (s.user = v) },
  { names: ['-A', '--user-agent'], arg: true, apply: (s, v) => (s.userAgent = v) },
  { names: ['-e', '--referer'], arg: true, apply: (s, v) => (s.referer = v) },
  { names: ['-b', '--cookie'], arg: true, apply: (s, v) => void s.cookies.push(v) },
  { names: ['--compressed'], arg: false, apply: (s) => (s.compressed = true) },
  { names: ['-I', '--head'], arg: false, apply: (s) => (s.head = true) },
  { names: ['-G', '--get'], arg: false, apply: (s) => (s.get = true) },
  { names: ['--url'], arg: true, apply: (s, v) => void s.urls.push(v) },
  { names: ['-k', '--insecure'], arg: false, apply: (s) => (s.insecure = true) },
  { names: ['--path-as-is'], arg: false, apply: (s) => (s.pathAsIs = true) },
  { names: ['--request-target'], arg: true, apply: (s, v) => (s.requestTarget = v) },
  { names: ['-T', '--upload-file'], arg: true, apply: (s, v) => (s.uploadFile = v) },
  // Local behaviour only: the first request's bytes do not change.
  {
    names: ['-s', '--silent', '-S', '--show-error', '-v', '--verbose', '-i', '--include'],
    arg: false,
  },
  {
    names: ['-L', '--location', '-f', '--fail', '--fail-with-body', '-N', '--no-buffer'],
    arg: false,
  },
  {
    names: ['-O', '--remote-name', '-#', '--progress-bar', '--no-progress-meter', '-g'],
    arg: false,
  },
  { names: ['--globoff', '--http1.1', '--raw', '-4', '-6', '--ipv4', '--ipv6', '-q'], arg: false },
  { names: ['-o', '--output', '-m', '--max-time', '--connect-timeout', '--retry'], arg: true },
  { names: ['-w', '--write-out', '--max-redirs', '--retry-delay', '--retry-max-time'], arg: true },
  { names: ['-D', '--dump-header', '-c', '--cookie-jar', '--trace', '--trace-ascii'], arg: true },
  { names: ['--cacert', '--capath', '--limit-rate', '--stderr'], arg: true },
];

const BY_NAME = new Map<string, OptionDef>();
for (const def of OPTIONS) for (const n of def.names) BY_NAME.set(n, def);

/** Options whose effect we know we do not reproduce; worth a specific warning. */
const NOT_REPRODUCED: Record<string, { arg: boolean; why: string }> = {
  '--http2': { arg: false, why: 'the request is built as HTTP/1.1' },
  '--http2-prior-knowledge': { arg: false, why: 'the request is built as HTTP/1.1' },
  '--http1.0': { arg: false, why: 'the request is built as HTTP/1.1' },
  '-0': { arg: false, why: 'the request is built as HTTP/1.1' },
  '-x': { arg: true, why: 'proxies are not used; the request goes to the URL host' },
  '--proxy': { arg: true, why: 'proxies are not used; the request goes to the URL host' },
  '-E': { arg: true, why: 'client certificates are not supported' },
  '--cert': { arg: true, why: 'client certificates are not supported' },
  '--key': { arg: true, why: 'client certificates are not supported' },
  '--resolve': { arg: true, why: 'the host is resolved normally' },
  '--connect-to': { arg: true, why: 'the host is connected to directly' },
  '-K': { arg: true, why: 'config files are not read' },
  '--config': { arg: true, why: 'config files are not read' },
  '--digest': { arg: false, why: 'only Basic authentication is built' },
  '--ntlm': { arg: false, why: 'only Basic authentication is built' },
  '--negotiate': { arg: false, why: 'only Basic authentication is built' },
};

export function emptySpec(): CurlSpec {
  return {
    urls: [],
    method: null,
    head: false,
    get: false,
    headers: [],
    data: [],
    forms: [],
    user: null,
    userAgent: null,
    referer: null,
    cookies: [],
    compressed: false,
    insecure: false,
    pathAsIs: false,
    uploadFile: null,
    requestTarget: null,
    warnings: [],
  };
}

/** `args` excludes the program name. */
export function readCurlArgs(args: string[]): CurlSpec {
  const spec = emptySpec();
  let i = 0;
  const needValue = (name: string): string | null => {
    if (i < args.length) return args[i++];
    spec.warnings.push(`option ${name} needs a value; ignored`);
    return null;
  };
  while (i < args.length) {
    const word = args[i++];
    if (word === '--') {
      spec.urls.push(...args.slice(i));
      break;
    }
    if (word.startsWith('--')) {
      const def = BY_NAME.get(word);
      if (def) {
        const value = def.arg ? needValue(word) : '';
        if (value !== null) def.apply?.(spec, value);
        continue;
      }
      const known = NOT_REPRODUCED[word];
      if (known?.arg) i++;
      spec.warnings.push(
        known ? `${word} is not reproduced: ${known.why}` : `unknown option ${word} ignored`,
      );
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      // Short options can be bundled (-sSL) and take their value attached (-XPOST).
      for (let k = 1; k < word.length; k++) {
        const name = '-' + word[k];
        const def = BY_NAME.get(name);
        const known = NOT_REPRODUCED[name];
        if (!def && !known) {
          spec.warnings.push(`unknown option ${name} ignored`);
          continue;
        }
        const takesArg = def ? def.arg : known.arg;
        let value = '';
        if (takesArg) {
          const attached = word.slice(k + 1);
          const v = attached !== '' ? attached : needValue(name);
          if (v === null) break;
          value = v;
        }
        if (def) def.apply?.(spec, value);
        else spec.warnings.push(`${name} is not reproduced: ${known.why}`);
        if (takesArg) break;
      }
      continue;
    }
    spec.urls.push(word);
  }
  return spec;
}
