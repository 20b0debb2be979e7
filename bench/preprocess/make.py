"""Data and PyTorch models for bench/preprocess-agreement.sh (issue 14 §4).

Writes, under OUT:
  fm64/{train,val}/<class>/<i>.png  Fashion-MNIST as 3-channel 64x64 PNGs (PIL bilinear 28->64)
  fm28/{train,val}/<class>/<i>.png  Fashion-MNIST as the original 1-channel 28x28 PNGs
  fm28.npz                          the same 28x28 images as arrays x_train, y_train, x_test, y_test
  seedS/rgb56.onnx + rgb56.json           a CNN trained by torchvision's ImageFolder on fm64 with
                                    Resize(60), CenterCrop(56), ToTensor, Normalize(ImageNet)
  seedS/unit.onnx + unit.json             a CNN trained on the 28x28 images as x/255 (no mean, std)
Each .json holds PyTorch's own top-1 on the test images and its predictions.
Seeded: torch.manual_seed(SEED); one thread per process for reproducibility.
"""
import gzip, json, os, sys
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F
import torchvision
from torchvision import transforms
from PIL import Image

OUT, SEED, TRAIN_N, EPOCHS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
SRC = "/usr/share/datasets/fashion-mnist"
torch.manual_seed(SEED)
np.random.seed(SEED)


def idx(name):
    p = os.path.join(SRC, name)
    op = gzip.open if os.path.exists(p + ".gz") else open
    with op(p + ".gz" if os.path.exists(p + ".gz") else p, "rb") as f:
        data = f.read()
    if data[2] == 8 and data[3] == 3:
        n, h, w = np.frombuffer(data[4:16], ">u4")
        return np.frombuffer(data[16:], np.uint8).reshape(n, h, w)
    return np.frombuffer(data[8:], np.uint8).astype(np.int64)


xtr, ytr = idx("train-images-idx3-ubyte")[:TRAIN_N], idx("train-labels-idx1-ubyte")[:TRAIN_N]
xte, yte = idx("t10k-images-idx3-ubyte"), idx("t10k-labels-idx1-ubyte")
os.makedirs(OUT, exist_ok=True)


def folders(root, split, xs, ys, rgb64):
    for i, (x, y) in enumerate(zip(xs, ys)):
        d = os.path.join(root, split, "class%d" % y)
        os.makedirs(d, exist_ok=True)
        img = Image.fromarray(x, "L")
        if rgb64:
            img = img.resize((64, 64), Image.BILINEAR).convert("RGB")
        img.save(os.path.join(d, "%05d.png" % i))


for name, rgb in (("fm64", True), ("fm28", False)):
    if not os.path.isdir(os.path.join(OUT, name)):
        folders(os.path.join(OUT, name), "train", xtr, ytr, rgb)
        folders(os.path.join(OUT, name), "val", xte, yte, rgb)
np.savez(os.path.join(OUT, "fm28.npz"), x_train=xtr[:, None], y_train=ytr, x_test=xte[:, None], y_test=yte)


class Net(nn.Module):
    def __init__(self, c, side):
        super().__init__()
        self.c1 = nn.Conv2d(c, 16, 3, padding=1)
        self.b1 = nn.BatchNorm2d(16)
        self.c2 = nn.Conv2d(16, 32, 3, padding=1)
        self.b2 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * (side // 4) ** 2, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.b1(self.c1(x))), 2)
        x = F.max_pool2d(F.relu(self.b2(self.c2(x))), 2)
        return self.fc(torch.flatten(x, 1))


def train_eval(net, train_loader, test_loader):
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    for _ in range(EPOCHS):
        net.train()
        for x, y in train_loader:
            opt.zero_grad()
            F.cross_entropy(net(x), y).backward()
            opt.step()
    net.eval()
    preds = []
    with torch.no_grad():
        for x, _ in test_loader:
            preds += net(x).argmax(1).tolist()
    return preds


MODELS = os.path.join(OUT, "seed%d" % SEED)
os.makedirs(MODELS, exist_ok=True)


def save(net, name, side, c, preds, labels):
    torch.onnx.export(net, torch.zeros(1, c, side, side), os.path.join(MODELS, name + ".onnx"), opset_version=13,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    top1 = 100.0 * sum(int(p == l) for p, l in zip(preds, labels)) / len(labels)
    json.dump({"top1": top1, "predictions": preds}, open(os.path.join(MODELS, name + ".json"), "w"))
    print("%s: PyTorch top-1 %.2f%% on %d test images" % (name, top1, len(labels)))


# 1. RGB 56x56 through torchvision's ImageFolder and transforms
mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
tr = transforms.Compose([transforms.Resize(60), transforms.CenterCrop(56), transforms.RandomHorizontalFlip(),
                         transforms.ToTensor(), transforms.Normalize(mean, std)])
ev = transforms.Compose([transforms.Resize(60), transforms.CenterCrop(56), transforms.ToTensor(),
                         transforms.Normalize(mean, std)])
train_set = torchvision.datasets.ImageFolder(os.path.join(OUT, "fm64", "train"), tr)
test_set = torchvision.datasets.ImageFolder(os.path.join(OUT, "fm64", "val"), ev)
g = torch.Generator().manual_seed(SEED)
net = Net(3, 56)
preds = train_eval(net, torch.utils.data.DataLoader(train_set, 64, shuffle=True, generator=g),
                   torch.utils.data.DataLoader(test_set, 256))
save(net, "rgb56", 56, 3, preds, [y for _, y in test_set.samples])

# 2. 28x28 gray as x/255, no normalisation
xt = torch.tensor(xtr[:, None] / 255.0, dtype=torch.float32)
xe = torch.tensor(xte[:, None] / 255.0, dtype=torch.float32)
net = Net(1, 28)
preds = train_eval(net, torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xt, torch.tensor(ytr)), 64,
                                                     shuffle=True, generator=g),
                   torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xe, torch.tensor(yte)), 256))
save(net, "unit", 28, 1, preds, yte.tolist())
