// Builds the federated extension into ../orchestr_lab/labextension with `jupyter labextension build`.
//
// The builder normally fetches @jupyterlab/core-meta to learn JupyterLab's shared packages; we point
// it at the installed JupyterLab's own staging/package.json instead (--core-package-file), so the
// build works offline and always matches the JupyterLab it will run in. The Python that has
// JupyterLab is $ORCHESTR_LAB_PYTHON (set by the hatch build hook and the Makefile), else python3.
import { spawnSync } from 'node:child_process';

const python = process.env.ORCHESTR_LAB_PYTHON || 'python3';
const development = process.argv.includes('--development');

function run(args, options = {}) {
  const result = spawnSync(python, args, { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', ...options });
  if (result.error || result.status !== 0) {
    console.error(`error: ${python} ${args.join(' ')} failed` + (result.error ? `: ${result.error.message}` : ''));
    process.exit(result.status || 1);
  }
  return result.stdout;
}

const corePackage = run([
  '-c',
  'import jupyterlab, pathlib; print(pathlib.Path(jupyterlab.__file__).parent / "staging" / "package.json")'
]).trim();

run(
  [
    '-m',
    'jupyterlab.labextensions',
    'build',
    '--core-package-file',
    corePackage,
    ...(development ? ['--development', 'True', '--source-map', 'True'] : []),
    '.'
  ],
  { stdio: 'inherit' }
);
