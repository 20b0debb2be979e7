#!/usr/bin/python3
"""Helper of bench/image-decode.sh (Debian's /usr/bin/python3, Pillow 9.4).

  gen DIR N SIZE FORMAT   N seeded images of SIZExSIZE (smooth colour fields with noise, as
                          photos compress) into DIR as png or jpg (quality 90)
  pil DIR WORKERS LABEL   decode throughput of PIL in WORKERS processes: Image.open + convert('RGB'),
                          torchvision ImageFolder's loader; one warm-up pass, one timed; one JSON line
  table RESULTS OUT       medians over the runs in RESULTS (JSON lines) as a Markdown table (OUT - : stdout)
"""
import json
import os
import statistics
import sys
import time
from multiprocessing import Pool

import numpy as np
from PIL import Image


def gen(out, n, size, fmt):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(14)
    y, x = np.mgrid[0:size, 0:size] / size
    for i in range(n):
        a, b, c = rng.uniform(-1, 1, 3)
        planes = []
        for k in range(3):
            f = 128 + 100 * np.sin(2 * np.pi * (a * x + b * y + c + k / 3) * rng.uniform(0.5, 3))
            planes.append(f + rng.normal(0, 6, (size, size)))
        img = Image.fromarray(np.clip(np.stack(planes, 2), 0, 255).astype(np.uint8), 'RGB')
        path = os.path.join(out, '%05d.%s' % (i, fmt))
        if fmt == 'png':
            img.save(path)
        else:
            img.save(path, quality=90)


def load(path):
    with open(path, 'rb') as f:
        img = Image.open(f)
        return img.convert('RGB').size


def pil(directory, workers, label):
    files = sorted(os.path.join(directory, f) for f in os.listdir(directory))
    with Pool(workers) as pool:
        pool.map(load, files, chunksize=64)  # warm-up: page cache, imports in the workers
        t0 = time.perf_counter()
        pool.map(load, files, chunksize=64)
        seconds = time.perf_counter() - t0
    print(json.dumps({'set': label, 'decoder': 'pil', 'images': len(files), 'threads': workers,
                      'seconds': round(seconds, 4), 'images_per_s': round(len(files) / seconds, 1)}))


def table(results, out):
    rows = [json.loads(line) for line in open(results) if line.startswith('{')]
    sets = list(dict.fromkeys(r['set'] for r in rows))
    decoders = list(dict.fromkeys(r['decoder'] for r in rows))
    med = {}
    for s in sets:
        for d in decoders:
            v = [r['images_per_s'] for r in rows if r['set'] == s and r['decoder'] == d]
            if v:
                med[s, d] = (statistics.median(v), v)
    lines = ['| set | ' + ' | '.join(decoders) + ' | condense / pil |',
             '| --- |' + ' ---: |' * (len(decoders) + 1)]
    for s in sets:
        cells = ['%.0f' % med[s, d][0] if (s, d) in med else '' for d in decoders]
        ratio = med[s, 'condense'][0] / med[s, 'pil'][0]
        lines.append('| %s | %s | %.2f |' % (s, ' | '.join(cells), ratio))
    lines.append('')
    lines.append('Runs (images/s, in order):')
    lines.append('')
    for (s, d), (m, v) in med.items():
        lines.append('- %s, %s: %s' % (s, d, ', '.join('%.0f' % x for x in v)))
    if out == '-':
        sys.stdout.write('\n'.join(lines) + '\n')
    else:
        with open(out, 'w') as f:
            f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'gen':
        gen(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    elif cmd == 'pil':
        pil(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif cmd == 'table':
        table(sys.argv[2], sys.argv[3])
