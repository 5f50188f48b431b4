// Trunk's post_build hook (Trunk.toml): splits the app's WebAssembly in two.
//
// The first module has everything the first screen needs; the second has the
// Python interpreter, over a third of the code, which the page fetches once
// the first screen is drawn (src/sim/python/engine.rs is the split point, and
// says how the app waits for it). Trunk builds one module, so this hook makes
// the two from cargo's output (linked with --emit-relocs, .cargo/config.toml):
//
//   wasm-split-cli   cargo's .wasm -> the main module + split_python.wasm
//                    + __wasm_split.js (fetches and instantiates the chunk)
//   wasm-bindgen     the main module -> the JS glue and its _bg.wasm
//   wasm-opt -Oz     each module (release builds only)
//
// and puts them in trunk's staging directory under trunk's names, the new
// files named by their content's hash (a page never pairs a main module with
// another build's chunk), with the page's integrity hashes made again.
// Pages of other binaries (the benchmarks' minimal page) are left alone.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const stage = process.env.TRUNK_STAGING_DIR;
if (!stage) {
  console.error('split-wasm: run by trunk (TRUNK_STAGING_DIR is not set)');
  process.exit(1);
}
const glue = fs.readdirSync(stage).find((f) => /^sockscope_web-[0-9a-f]+\.js$/.test(f));
if (!glue) process.exit(0);
const name = glue.slice(0, -'.js'.length);
const release = process.env.TRUNK_PROFILE === 'release';
// The cargo profile index.html names for release builds; debug builds use dev's.
const profileDir = release ? 'wasm-release' : 'debug';
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(process.env.TRUNK_SOURCE_DIR ?? '.', 'target');
const input = path.join(targetDir, 'wasm32-unknown-unknown', profileDir, 'sockscope_web.wasm');

const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
const sha = (data, alg) => crypto.createHash(alg).update(data);
const hashed = (file, data) => {
  const ext = path.extname(file);
  return `${path.basename(file, ext)}-${sha(data, 'sha256').digest('hex').slice(0, 16)}${ext}`;
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sockscope-split-'));
try {
  run('wasm-split-cli', ['--out-name', name, input, tmp]);
  const chunks = fs.readdirSync(tmp).filter((f) => /^split_.*\.wasm$/.test(f));
  if (chunks.length === 0) {
    throw new Error(`no split point in ${input}: is the feature "split" on (index.html)?`);
  }
  const bindgen = path.join(tmp, 'bindgen');
  // --keep-lld-exports: the chunk imports the function table and the stack
  // pointer, which wasm-bindgen would otherwise not export.
  run('wasm-bindgen', ['--target', 'web', '--no-typescript', '--keep-lld-exports',
    '--out-dir', bindgen, '--out-name', name, path.join(tmp, `${name}.wasm`)]);
  // The features rustc enables for wasm32 by default; -Oz as trunk would.
  const optimize = (from, to) => {
    if (!release) return fs.copyFileSync(from, to);
    run('wasm-opt', ['-Oz', '--enable-bulk-memory', '--enable-mutable-globals',
      '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-reference-types',
      '--enable-multivalue', from, '-o', to]);
  };

  let loader = fs.readFileSync(path.join(tmp, '__wasm_split.js'), 'utf8');
  for (const chunk of chunks) {
    const out = path.join(tmp, `opt-${chunk}`);
    optimize(path.join(tmp, chunk), out);
    const file = hashed(chunk, fs.readFileSync(out));
    fs.copyFileSync(out, path.join(stage, file));
    loader = loader.replaceAll(`"./${chunk}"`, JSON.stringify(`./${file}`));
  }
  const loaderFile = hashed('__wasm_split.js', loader);
  fs.writeFileSync(path.join(stage, loaderFile), loader);

  optimize(path.join(bindgen, `${name}_bg.wasm`), path.join(stage, `${name}_bg.wasm`));
  // The glue imports the loader by the name the main module asks for; only
  // the import's specifier becomes the hashed file.
  const js = fs.readFileSync(path.join(bindgen, `${name}.js`), 'utf8');
  const linked = js.replace(/from\s*(["'])\.\/__wasm_split\.js\1/, `from "./${loaderFile}"`);
  if (linked === js) throw new Error('the glue does not import __wasm_split.js');
  fs.writeFileSync(path.join(stage, glue), linked);
  fs.rmSync(path.join(stage, 'snippets'), { recursive: true, force: true });
  if (fs.existsSync(path.join(bindgen, 'snippets'))) {
    fs.cpSync(path.join(bindgen, 'snippets'), path.join(stage, 'snippets'), { recursive: true });
  }

  // The page: each changed file's integrity hash, and the loader preloaded
  // with the glue (it is imported before the main module can start).
  const integrity = (file) => `sha384-${sha(fs.readFileSync(path.join(stage, file)), 'sha384').digest('base64')}`;
  const htmlFile = path.join(stage, 'index.html');
  let html = fs.readFileSync(htmlFile, 'utf8');
  for (const file of [glue, `${name}_bg.wasm`]) {
    const tag = new RegExp(`<link[^>]*${file.replaceAll('.', '\\.')}[^>]*>`);
    const found = html.match(tag);
    if (!found) throw new Error(`index.html has no <link> for ${file}`);
    html = html.replace(found[0], found[0].replace(/sha384-[A-Za-z0-9+/=]+/, integrity(file)));
  }
  const preload = `<link rel="modulepreload" crossorigin href="./${loaderFile}" integrity="${integrity(loaderFile)}">`;
  html = html.replace('</head>', `${preload}</head>`);
  fs.writeFileSync(htmlFile, html);
  const size = (f) => fs.statSync(path.join(stage, f)).size;
  console.log(`split-wasm: ${name}_bg.wasm ${size(`${name}_bg.wasm`)} B; ` +
    fs.readdirSync(stage).filter((f) => /^split_.*\.wasm$/.test(f)).map((f) => `${f} ${size(f)} B`).join('; '));
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
