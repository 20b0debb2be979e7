"""Exports the shape-arithmetic fixtures of ShapeExportsTest with PyTorch 1.13 / torchvision 0.14.

Run with Debian's interpreter (torch 1.13, torchvision 0.14):
    /usr/bin/python3 make_fixtures.py [OUTDIR]
Small models (committed next to this script):
  view_dyn_opset{11,13}.onnx    conv -> x.view(x.size(0), -1) -> linear, dynamic batch
  view_fixed_opset13.onnx       the same exported with a fixed batch of 1
  shuffle_dyn_opset{11,13}.onnx a small channel-shuffle block (view/transpose/view, chunk, cat,
                                class-token style x[:, 0], masked where), dynamic batch
  shufflenet64_fixed.onnx       is NOT committed (2 MB): torchvision shufflenet_v2_x0_5 at 1x3x64x64
With OUTDIR given, also writes torchvision's shufflenet_v2_x0_5 (too large to commit, 5.5 MB;
ShapeExportsTest runs them when -Dcondense.shufflenet.dir=OUTDIR is set) at 1x3x224x224 and
1x3x64x64, dynamic and fixed batch, opsets 13 and 11: shufflenet{224,64}_{dyn,fixed}_opset{13,11}.onnx,
plus *_gap variants whose final x.mean([2, 3]) is exported as GlobalAveragePool + Flatten (same
numbers) for an engine that lacks ReduceMean. Weights are random with seed 0.
"""
import sys
import torch
import torchvision


class ViewNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.fc = torch.nn.Linear(4 * 6 * 6, 5)

    def forward(self, x):
        y = torch.relu(self.conv(x))
        return self.fc(y.view(y.size(0), -1))


class ShuffleNet(torch.nn.Module):
    """Channel shuffle as torchvision writes it, a chunk/cat, a token selection and a where."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
        self.branch = torch.nn.Conv2d(4, 4, 1)
        self.fc = torch.nn.Linear(8, 5)

    def forward(self, x):
        x = self.conv(x)
        b, c, h, w = x.size()
        g = 2
        x = x.view(b, g, c // g, h, w).transpose(1, 2).contiguous().view(b, -1, h, w)
        x1, x2 = x.chunk(2, dim=1)
        x = torch.cat((x1, torch.relu(self.branch(x2))), dim=1)
        x = torch.where(x > 0.1, x, x * 0.5)
        t = x.flatten(2).transpose(1, 2)          # [b, h*w, c]
        t = t.unsqueeze(1).squeeze(1)
        return self.fc(t[:, 0] + t[:, -1])


def export(model, shape, path, opset, dynamic):
    model.eval()
    kw = {"dynamic_axes": {"x": {0: "batch"}, "y": {0: "batch"}}} if dynamic else {}
    torch.onnx.export(model, torch.randn(*shape), path, opset_version=opset,
                      input_names=["x"], output_names=["y"], **kw)
    print("wrote", path)


def main():
    torch.manual_seed(0)
    view = ViewNet()
    shuffle = ShuffleNet()
    for opset in (11, 13):
        export(view, (1, 3, 8, 8), f"view_dyn_opset{opset}.onnx", opset, True)
        export(shuffle, (1, 3, 6, 6), f"shuffle_dyn_opset{opset}.onnx", opset, True)
    export(view, (1, 3, 8, 8), "view_fixed_opset13.onnx", 13, False)
    export(shuffle, (1, 3, 6, 6), "shuffle_fixed_opset13.onnx", 13, False)
    if len(sys.argv) > 1:
        out = sys.argv[1]
        torch.manual_seed(0)
        net = torchvision.models.shufflenet_v2_x0_5()
        gap = GapShuffleNet(net)
        for side in (224, 64):
            for opset in (13, 11):
                for dyn in (True, False):
                    tag = f"{side}_{'dyn' if dyn else 'fixed'}_opset{opset}"
                    export(net, (1, 3, side, side), f"{out}/shufflenet{tag}.onnx", opset, dyn)
                    export(gap, (1, 3, side, side), f"{out}/shufflenet{tag}_gap.onnx", opset, dyn)


class GapShuffleNet(torch.nn.Module):
    """torchvision's ShuffleNetV2 with its final mean over H, W written as adaptive average pooling."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        n = self.net
        x = n.maxpool(n.conv1(x))
        x = n.conv5(n.stage4(n.stage3(n.stage2(x))))
        x = torch.flatten(torch.nn.functional.adaptive_avg_pool2d(x, 1), 1)
        return n.fc(x)

if __name__ == "__main__":
    main()
