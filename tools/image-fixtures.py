#!/usr/bin/python3
"""Writes the image fixtures of condense-core's image tests: inputs, and what Pillow and
torchvision compute from them, as raw bytes, so that the Java tests compare every byte without
Python.

Run with Debian's interpreter (Pillow 9.4, torchvision 0.14): /usr/bin/python3 tools/image-fixtures.py
Output: condense-core/src/test/resources/dev/condense/data/image/
  transforms.txt  one case per line:
                  name  input c h w  color resize crop  output c h w
                  (color keep|gray|rgb; resize - | S | HxW, with :nearest; crop - | HxW)
  decode.txt      one file per line: name  file  c h w  expected  exact|jpeg
  *.raw.gz        pixels, planar CHW, 8-bit, gzip
  *.png, *.jpg    the files ImageDecoder reads
The data are seeded: running the script again writes the same bytes (up to gzip's timestamp,
which is zeroed).
"""
import gzip
import io
import os
import sys

import numpy as np
from PIL import Image
import torchvision
from torchvision import transforms
from torchvision.transforms import InterpolationMode

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                   'condense-core/src/test/resources/dev/condense/data/image')
rng = np.random.default_rng(14)


def write_raw(name, chw):
    """Planar CHW uint8 bytes, gzip with no timestamp."""
    with open(os.path.join(OUT, name), 'wb') as f:
        with gzip.GzipFile(fileobj=f, mode='wb', mtime=0) as g:
            g.write(np.ascontiguousarray(chw, dtype=np.uint8).tobytes())


def chw(img):
    """A PIL image (L or RGB) as a CHW array."""
    a = np.asarray(img)
    return a[None, :, :] if a.ndim == 2 else a.transpose(2, 0, 1)


def random_image(h, w, mode, structured=False):
    if structured:
        # smooth gradients plus noise: the values antialiasing and rounding act on differently
        y, x = np.mgrid[0:h, 0:w]
        base = (x * 255.0 / max(w - 1, 1) * 0.6 + y * 255.0 / max(h - 1, 1) * 0.4)
        planes = [np.clip(base + rng.normal(0, 20, (h, w)) + 40 * k, 0, 255) for k in range(3)]
        a = np.stack(planes, axis=2).astype(np.uint8)
    else:
        a = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    img = Image.fromarray(a, 'RGB')
    return img.convert('L') if mode == 'L' else img


def transform_cases():
    inputs = {
        'rgb64': random_image(64, 64, 'RGB', structured=True),
        'gray28': random_image(28, 28, 'L'),
        'rgb37x53': random_image(37, 53, 'RGB', structured=True),
        'gray37x53': random_image(37, 53, 'L'),
        'gray5x300': random_image(5, 300, 'L'),
        'rgb5x300': random_image(5, 300, 'RGB', structured=True),
        'gray300x5': random_image(300, 5, 'L'),
        'rgb1x7': random_image(1, 7, 'RGB'),
        'gray97x61': random_image(97, 61, 'L', structured=True),
    }
    for name, img in inputs.items():
        write_raw('in-' + name + '.raw.gz', chw(img))
    cases = [
        # (input, color, resize, crop)
        ('rgb64', 'gray', '-', '-'),
        ('gray28', 'rgb', '-', '-'),
        ('rgb37x53', 'gray', '-', '-'),
        ('rgb64', 'keep', '56', '-'),
        ('rgb64', 'keep', '56:nearest', '-'),
        ('rgb64', 'keep', '7', '-'),
        ('rgb64', 'keep', '7:nearest', '-'),
        ('gray97x61', 'keep', '60', '-'),
        ('gray28', 'keep', '29', '-'),
        ('gray28', 'keep', '32', '-'),
        ('gray28', 'keep', '32:nearest', '-'),
        ('gray28', 'keep', '90', '-'),
        ('gray28', 'keep', '3', '-'),
        ('rgb37x53', 'keep', '17', '-'),
        ('rgb37x53', 'keep', '17:nearest', '-'),
        ('gray37x53', 'keep', '17', '-'),
        ('gray37x53', 'keep', '20x71', '-'),
        ('gray37x53', 'keep', '20x71:nearest', '-'),
        ('gray37x53', 'keep', '111x13', '-'),
        ('gray37x53', 'keep', '111x13:nearest', '-'),
        ('gray37x53', 'keep', '20x53', '-'),
        ('rgb37x53', 'keep', '37x20', '-'),
        ('rgb37x53', 'keep', '90x53:nearest', '-'),
        ('gray5x300', 'keep', '8', '-'),
        ('gray5x300', 'keep', '224x100', '-'),
        ('gray5x300', 'keep', '224x100:nearest', '-'),
        ('rgb5x300', 'keep', '13x97', '-'),
        ('rgb5x300', 'keep', '13x97:nearest', '-'),
        ('gray300x5', 'keep', '9', '-'),
        ('gray300x5', 'keep', '9:nearest', '-'),
        ('rgb1x7', 'keep', '5', '-'),
        ('rgb1x7', 'keep', '3x3', '-'),
        ('rgb1x7', 'keep', '3x3:nearest', '-'),
        ('gray97x61', 'keep', '56', '-'),
        ('gray97x61', 'keep', '29:nearest', '-'),
        ('gray97x61', 'keep', '61', '-'),
        ('rgb64', 'keep', '-', '56x56'),
        ('rgb37x53', 'keep', '-', '24x24'),
        ('rgb37x53', 'keep', '-', '23x50'),
        ('gray37x53', 'keep', '-', '40x50'),
        ('gray37x53', 'keep', '-', '70x60'),
        ('gray37x53', 'keep', '-', '36x54'),
        ('rgb1x7', 'keep', '-', '4x4'),
        ('rgb37x53', 'gray', '64', '56x56'),
        ('rgb37x53', 'rgb', '30', '29x29'),
        ('gray97x61', 'rgb', '64:nearest', '56x56'),
        ('gray5x300', 'keep', '20', '21x33'),
    ]
    # seeded random sizes: rounding and filter-support edge cases no one thought of
    for k in range(24):
        h, w = int(rng.integers(1, 40)), int(rng.integers(1, 40))
        name = 'rand%d' % k
        inputs[name] = random_image(h, w, 'RGB' if k % 2 else 'L')
        write_raw('in-' + name + '.raw.gz', chw(inputs[name]))
        oh, ow = int(rng.integers(1, 50)), int(rng.integers(1, 50))
        cases.append((name, 'keep', '%dx%d%s' % (oh, ow, ':nearest' if k % 3 == 0 else ''), '-'))
    lines = []
    for i, (src, color, resize, crop) in enumerate(cases):
        img = inputs[src]
        steps = []
        if color == 'gray':
            steps.append(lambda im: im.convert('L'))
        elif color == 'rgb':
            steps.append(lambda im: im.convert('RGB'))
        if resize != '-':
            size, _, interp = resize.partition(':')
            mode = InterpolationMode.NEAREST if interp == 'nearest' else InterpolationMode.BILINEAR
            s = tuple(int(v) for v in size.split('x'))
            steps.append(transforms.Resize(s[0] if len(s) == 1 else s, interpolation=mode))
        if crop != '-':
            steps.append(transforms.CenterCrop(tuple(int(v) for v in crop.split('x'))))
        out = transforms.Compose(steps)(img) if steps else img
        o = chw(out)
        name = 'out-%02d-%s.raw.gz' % (i, src)
        write_raw(name, o)
        c0 = 1 if img.mode == 'L' else 3
        lines.append('%s-%02d in-%s.raw.gz %d %d %d %s %s %s %s %d %d %d' % (
            src, i, src, c0, img.height, img.width, color, resize, crop, name, *o.shape))
    with open(os.path.join(OUT, 'transforms.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def decode_cases():
    """PNG and JPEG files of every kind ImageDecoder reads, and PIL's decode of each: 1 channel
    (convert('L')) for PIL modes 1, L, LA, I, I;16; otherwise convert('RGB'), as ImageFolder."""
    files = []
    h, w = 13, 11
    rgb = random_image(h, w, 'RGB')
    gray = random_image(h, w, 'L')
    alpha = Image.fromarray(rng.integers(0, 256, (h, w), dtype=np.uint8), 'L')

    def save(name, img, **kw):
        img.save(os.path.join(OUT, name), **kw)
        files.append(name)

    save('gray8.png', gray)
    la = Image.merge('LA', (gray, alpha))
    save('gray-alpha.png', la)
    save('rgb8.png', rgb)
    rgba = Image.merge('RGBA', (*rgb.split(), alpha))
    save('rgba8.png', rgba)
    pal = rgb.quantize(colors=37)
    save('palette.png', pal)
    palt = pal.copy()
    palt.info['transparency'] = bytes(int(v) for v in rng.integers(0, 256, 37))
    save('palette-trns.png', palt, transparency=palt.info['transparency'])
    pal4 = rgb.quantize(colors=13)
    save('palette-4bit.png', pal4, bits=4)
    g16 = rng.integers(0, 65536, (h, w), dtype=np.uint16)
    g16[0, :6] = [0, 1, 200, 255, 256, 65535]  # PIL's I -> L clips at 255
    save('gray16.png', Image.fromarray(g16.astype(np.int32), 'I'))
    gsmall = rng.integers(0, 256, (h, w), dtype=np.uint16)  # 16-bit file with small values
    save('gray16-small.png', Image.fromarray(gsmall.astype(np.int32), 'I'))
    save('gray1.png', gray.point(lambda v: 255 if v > 127 else 0).convert('1'))
    # 16-bit RGB(A), 2- and 4-bit gray and interlaced files: Pillow cannot write them; written here
    files.extend(write_png_by_hand(h, w))
    big = random_image(37, 29, 'RGB', structured=True)
    save('rgb-q90.jpg', big, quality=90)
    save('rgb-q75-420.jpg', big, quality=75, subsampling=2)
    save('rgb-q95-444.jpg', big, quality=95, subsampling=0)
    save('rgb-progressive.jpg', big, quality=85, progressive=True)
    save('gray.jpg', big.convert('L'), quality=90)
    save('gray-progressive.jpg', big.convert('L'), quality=80, progressive=True)
    big2 = random_image(64, 64, 'RGB', structured=True)
    save('rgb64-q85.jpg', big2, quality=85)
    save('rgb-odd-422.jpg', random_image(21, 35, 'RGB', structured=True), quality=88, subsampling=1)

    lines = []
    for name in files:
        img = Image.open(os.path.join(OUT, name))
        mode = img.mode
        one = mode in ('1', 'L', 'LA', 'I', 'I;16', 'I;16B')
        out = img.convert('L') if one else img.convert('RGB')
        if one:  # the same pixels as the loader's convert('RGB'), once per channel
            assert (np.asarray(img.convert('RGB'))[:, :, 0] == np.asarray(out)).all(), name
        o = chw(out)
        exp = name.replace('.', '-') + '.raw.gz'
        write_raw(exp, o)
        kind = 'jpeg' if name.endswith('.jpg') else 'exact'
        lines.append('%s %s %d %d %d %s %s' % (name, mode, *o.shape, exp, kind))
    with open(os.path.join(OUT, 'decode.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


def png_chunk(kind, data):
    import zlib
    import struct
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))


def png_bytes(w, h, bit_depth, color_type, rows, interlace=0, extra=b''):
    """A PNG file from already filtered scanline bytes (filter type 0 on each row)."""
    import struct
    import zlib
    ihdr = struct.pack('>IIBBBBB', w, h, bit_depth, color_type, 0, 0, interlace)
    return (b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', ihdr) + extra
            + png_chunk(b'IDAT', zlib.compress(rows, 9)) + png_chunk(b'IEND', b''))


def raw_rows(samples, bits):
    """Rows of samples (h, w*channels) packed at `bits` per sample, each prefixed by filter 0."""
    out = bytearray()
    for row in samples:
        out.append(0)
        if bits == 16:
            out += row.astype('>u2').tobytes()
        elif bits == 8:
            out += row.astype(np.uint8).tobytes()
        else:
            acc, n = 0, 0
            for v in row:
                acc = (acc << bits) | int(v)
                n += bits
                if n == 8:
                    out.append(acc)
                    acc, n = 0, 0
            if n:
                out.append(acc << (8 - n))
    return bytes(out)


def adam7(samples, channels, bits):
    """Interlaced scanlines: the seven Adam7 passes, each filtered row prefixed by filter 0."""
    h, wc = samples.shape
    w = wc // channels
    img = samples.reshape(h, w, channels)
    out = b''
    for y0, x0, dy, dx in ((0, 0, 8, 8), (0, 4, 8, 8), (4, 0, 8, 4), (0, 2, 4, 4),
                           (2, 0, 4, 2), (0, 1, 2, 2), (1, 0, 2, 1)):
        sub = img[y0::dy, x0::dx]
        if sub.size:
            out += raw_rows(sub.reshape(sub.shape[0], -1), bits)
    return out


def write_png_by_hand(h, w):
    names = []

    def put(name, data):
        with open(os.path.join(OUT, name), 'wb') as f:
            f.write(data)
        names.append(name)

    rgb16 = rng.integers(0, 65536, (h, w * 3), dtype=np.uint16)
    put('rgb16.png', png_bytes(w, h, 16, 2, raw_rows(rgb16, 16)))
    rgba16 = rng.integers(0, 65536, (h, w * 4), dtype=np.uint16)
    put('rgba16.png', png_bytes(w, h, 16, 6, raw_rows(rgba16, 16)))
    la16 = rng.integers(0, 65536, (h, w * 2), dtype=np.uint16)
    put('gray-alpha16.png', png_bytes(w, h, 16, 4, raw_rows(la16, 16)))
    for bits in (2, 4):
        g = rng.integers(0, 1 << bits, (h, w), dtype=np.uint16)
        put('gray%d.png' % bits, png_bytes(w, h, bits, 0, raw_rows(g, bits)))
    # interlaced: gray, RGB, RGBA, palette, 16-bit gray; odd sizes so that passes are uneven
    ih, iw = 37, 29
    g = rng.integers(0, 256, (ih, iw), dtype=np.uint16)
    put('gray-interlaced.png', png_bytes(iw, ih, 8, 0, adam7(g, 1, 8), interlace=1))
    c = rng.integers(0, 256, (ih, iw * 3), dtype=np.uint16)
    put('rgb-interlaced.png', png_bytes(iw, ih, 8, 2, adam7(c, 3, 8), interlace=1))
    c4 = rng.integers(0, 256, (ih, iw * 4), dtype=np.uint16)
    put('rgba-interlaced.png', png_bytes(iw, ih, 8, 6, adam7(c4, 4, 8), interlace=1))
    g16 = rng.integers(0, 400, (ih, iw), dtype=np.uint16)
    put('gray16-interlaced.png', png_bytes(iw, ih, 16, 0, adam7(g16, 1, 16), interlace=1))
    palette = rng.integers(0, 256, 16 * 3, dtype=np.uint8).tobytes()
    idx = rng.integers(0, 16, (ih, iw), dtype=np.uint16)
    trns = png_chunk(b'tRNS', bytes(int(v) for v in rng.integers(0, 256, 16)))
    put('palette-interlaced.png', png_bytes(iw, ih, 4, 3, adam7(idx, 1, 4), interlace=1,
                                            extra=png_chunk(b'PLTE', palette) + trns))
    # RGB with a tRNS colour key: PIL keeps it as info, convert('RGB') ignores it
    put('rgb-trns.png', png_bytes(w, h, 8, 2, raw_rows(rng.integers(0, 256, (h, w * 3)), 8),
                                  extra=png_chunk(b'tRNS', b'\x00\x10\x00\x20\x00\x30')))
    return names


if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    print('Pillow', Image.__version__, 'torchvision', torchvision.__version__, file=sys.stderr)
    transform_cases()
    decode_cases()
