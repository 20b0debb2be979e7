#!/usr/bin/python3
"""Lists torchvision's ImageFolder samples for the test folder tree, the reference FolderListingTest
checks Condense against.

Builds the tree described by condense-core/src/test/resources/dev/condense/data/folder-tree/tree.txt
in a temporary folder, opens it with torchvision.datasets.ImageFolder (torchvision 0.14, the
default IMG_EXTENSIONS; the loader is never called, so the files may be empty) and writes
expected.txt beside tree.txt: the classes, then one line per sample "index<TAB>class<TAB>path"
with the path relative to the tree's root.

Run: /usr/bin/python3 tools/torchvision-folder-listing.py
"""
import os
import pathlib
import tempfile

import torchvision
from torchvision.datasets import ImageFolder

HERE = pathlib.Path(__file__).resolve().parent.parent / "condense-core/src/test/resources/dev/condense/data/folder-tree"


def build(spec, root):
    for line in spec.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        kind, *args = line.split(" ")
        path = root / args[0]
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "file":
            path.write_bytes(b"")
        elif kind == "dir":
            path.mkdir(parents=True, exist_ok=True)
        elif kind == "link":
            os.symlink(args[1], path)
        else:
            raise ValueError(line)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp) / "tree"
        root.mkdir()
        build(HERE / "tree.txt", root)
        folder = ImageFolder(str(root), loader=lambda p: p)
        lines = ["# torchvision " + torchvision.__version__ + " ImageFolder over tree.txt "
                 "(written by tools/torchvision-folder-listing.py)",
                 "classes\t" + "\t".join(folder.classes)]
        for i, (path, target) in enumerate(folder.samples):
            lines.append(f"{i}\t{target}\t{os.path.relpath(path, root)}")
    (HERE / "expected.txt").write_text("\n".join(lines) + "\n")
    print(f"{len(folder.samples)} samples, {len(folder.classes)} classes -> {HERE / 'expected.txt'}")


if __name__ == "__main__":
    main()
