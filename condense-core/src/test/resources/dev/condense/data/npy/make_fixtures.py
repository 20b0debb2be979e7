#!/usr/bin/python3
"""Writes the NumPy fixtures that the .npy / .npz reader tests load, and what NumPy says they hold.

Run with Debian's Python, which has NumPy:  /usr/bin/python3 make_fixtures.py
It writes, next to this script:
  <dtype>.npy            one file per dtype and byte order (e.g. lt-f4.npy is '<f4', gt-i8.npy '>i8',
                         u1.npy '|u1'), shape (2, 3), C order, with the type's extremes, zero, -0.0,
                         inf, nan and a subnormal where the type has them
  fortran-*.npy          fortran_order=True arrays of shape (2, 3, 4)
  v2.npy, v3.npy         format versions 2.0 and 3.0 (numpy.lib.format.write_array, version=...)
  scalar.npy, empty.npy  shape () and shape (0, 3)
  object.npy             an object array (pickled Python objects), which the reader must refuse
  structured.npy         a structured dtype, which the reader must refuse
  split.npz              x_train, y_train, x_test, y_test, stored (numpy.savez)
  split-deflated.npz     the same arrays deflated (numpy.savez_compressed)
  xy.npz                 only x and y, for the seeded split
  rgb-*-idx?-ubyte       two 3x4 RGB images as a 4-D IDX file (N x H x W x 3) and their labels
  expected.txt           one line per array (and two normalised arrays, named ARRAY|SPEC): file, array (npz) or '-', descr, fortran, shape,
                         then its values in C order as Python prints them (repr), then the same
                         values as NumPy narrows them to float32 (astype), so the Java tests
                         compare against NumPy's reading and conversion, not their own
Nothing is random: the values are written out below.
"""
import io
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

INTS = {
    "u1": [0, 1, 127, 128, 254, 255],
    "i1": [-128, -1, 0, 1, 126, 127],
    "u2": [0, 1, 255, 256, 65534, 65535],
    "i2": [-32768, -1, 0, 1, 256, 32767],
    "u4": [0, 1, 65536, 2**31, 2**32 - 2, 2**32 - 1],
    "i4": [-2**31, -1, 0, 1, 65536, 2**31 - 1],
    "u8": [0, 1, 2**32, 2**63, 2**64 - 2, 2**64 - 1],
    "i8": [-2**63, -1, 0, 1, 2**40 + 3, 2**63 - 1],
}
FLOATS = {
    "f2": [0.0, -0.0, 65504.0, 6e-8, float("inf"), float("nan")],
    "f4": [1.5, -0.0, 3.4028235e38, 1e-45, float("-inf"), float("nan")],
    "f8": [0.1, -0.0, 1.7976931348623157e308, 5e-324, float("inf"), -2.5e-300],
}

lines = []


def value(v):
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = float(v)
    if f != f:
        return "NaN"
    if f in (float("inf"), float("-inf")):
        return "Infinity" if f > 0 else "-Infinity"
    return repr(f)


def record(file, array_name, a):
    descr = np.lib.format.dtype_to_descr(a.dtype)
    fortran = a.flags.f_contiguous and not a.flags.c_contiguous
    shape = ",".join(str(d) for d in a.shape)
    values = " ".join(value(v) for v in a.flatten(order="C").tolist())
    narrowed = " ".join(value(v) for v in a.astype(np.float32).flatten(order="C").tolist())
    lines.append("\t".join([file, array_name, descr, str(fortran), shape, values, narrowed]))


def save(file, a):
    np.save(os.path.join(HERE, file), a)
    record(file, "-", np.load(os.path.join(HERE, file)))


for code, vals in list(INTS.items()) + list(FLOATS.items()):
    orders = ["|"] if code[1] == "1" else ["<", ">"]
    for order in orders:
        a = np.array(vals, dtype=np.dtype(order + code) if order != "|" else np.dtype(code)).reshape(2, 3)
        name = code if order == "|" else ("lt-" if order == "<" else "gt-") + code
        save(name + ".npy", a)
save("b1.npy", np.array([True, False, True, True, False, False]).reshape(2, 3))

grid = np.arange(24).reshape(2, 3, 4)
save("fortran-lt-f4.npy", np.asfortranarray((grid * 0.25 - 2).astype("<f4")))
save("fortran-gt-i2.npy", np.asfortranarray((grid * 1000 - 12000).astype(">i2")))

for version in [(2, 0), (3, 0)]:
    file = "v%d.npy" % version[0]
    with open(os.path.join(HERE, file), "wb") as f:
        np.lib.format.write_array(f, (grid[0] - 5).astype("<i4"), version=version)
    record(file, "-", np.load(os.path.join(HERE, file)))

save("scalar.npy", np.array(42.5, dtype="<f8"))
save("empty.npy", np.zeros((0, 3), dtype="<f4"))
np.save(os.path.join(HERE, "object.npy"), np.array([1, "two", None], dtype=object), allow_pickle=True)
np.save(os.path.join(HERE, "structured.npy"), np.zeros(2, dtype=[("a", "<f4"), ("b", "<i2")]))

# A small classification problem: 4-feature samples of 2x2, labels 0..2.
x_train = (np.arange(6 * 2 * 2).reshape(6, 2, 2) * 0.5 - 3).astype("<f4")
y_train = np.array([0, 1, 2, 1, 0, 2], dtype="<i8")
x_test = (np.arange(3 * 2 * 2).reshape(3, 2, 2) * -0.25).astype("<f4")
y_test = np.array([2, 0, 1], dtype="<i8")
split = dict(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
np.savez(os.path.join(HERE, "split.npz"), **split)
np.savez_compressed(os.path.join(HERE, "split-deflated.npz"), **split)
for file in ["split.npz", "split-deflated.npz"]:
    with np.load(os.path.join(HERE, file)) as z:
        for k in ["x_train", "y_train", "x_test", "y_test"]:
            record(file, k, z[k])
with zipfile.ZipFile(os.path.join(HERE, "split-deflated.npz")) as z:
    assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())

x = np.arange(10 * 3, dtype="|u1").reshape(10, 3)
y = np.array([0, 1, 2, 3, 0, 1, 2, 3, 0, 1], dtype="<i4")
np.savez(os.path.join(HERE, "xy.npz"), x=x, y=y)
with np.load(os.path.join(HERE, "xy.npz")) as z:
    for k in ["x", "y"]:
        record("xy.npz", k, z[k])

# IDX with 4 dimensions (magic 0x00000804: unsigned bytes, 4 dims): 2 RGB images of 3x4, stored
# N x H x W x C as NumPy holds images; recorded in the N x C x H x W order a model reads.
rgb = ((np.arange(2 * 3 * 4 * 3) * 37) % 256).astype(np.uint8).reshape(2, 3, 4, 3)
with open(os.path.join(HERE, "rgb-images-idx4-ubyte"), "wb") as f:
    f.write(np.array([0x804, 2, 3, 4, 3], dtype=">i4").tobytes() + rgb.tobytes())
with open(os.path.join(HERE, "rgb-labels-idx1-ubyte"), "wb") as f:
    f.write(np.array([0x801, 2], dtype=">i4").tobytes() + np.array([7, 1], dtype=np.uint8).tobytes())
record("rgb-images-idx4-ubyte", "nchw", rgb.transpose(0, 3, 1, 2))

# Normalised as Condense's preprocessing specs say, in float64: (v/divisor - mean)/std, the mean
# and std per channel along axis 1 (x_train's samples are 2x2: 2 channels) or one for all (x).
mean, std = np.array([0.5, -1.0]), np.array([2.0, 0.25])
record("split.npz", "x_train|scale=1/2,mean=0.5:-1,std=2:0.25",
       (x_train.astype(np.float64) / 2 - mean[None, :, None]) / std[None, :, None])
record("xy.npz", "x|scale=1/255,mean=0.5,std=0.25", (x.astype(np.float64) / 255 - 0.5) / 0.25)

with open(os.path.join(HERE, "expected.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
