"""The PyTorch anchors of bench/train-step.mjs: the same networks, losses, optimizers and batch
as the tfjs configurations, timed the same way. Run with Debian's python3-torch:
  /usr/bin/python3 train_step.py CONFIG ITERATIONS THREADS
After a warm-up it prints "ready"; then each line read from stdin runs one round of ITERATIONS
iterations and prints its seconds per iteration — so the caller alternates its own rounds with
PyTorch's, and both see the same state of the machine."""
import sys
import time

import torch
import torch.nn as nn

config, iterations, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(1)


def generator(latent, base, resolution):
    """@gan/models' dcganGenerator: dense z → 4×4, transposed convs (4, stride 2) with batch norm
    and ReLU, tanh; no biases before batch norm."""
    size, filters = 4, base * (resolution // 8)
    lin = nn.Linear(latent, 4 * 4 * filters, bias=False)
    blocks = []
    while size < resolution // 2:
        blocks += [nn.ConvTranspose2d(filters, filters // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(filters // 2, momentum=0.1), nn.ReLU()]
        filters //= 2
        size *= 2
    out = nn.ConvTranspose2d(filters, 3, 4, 2, 1, bias=False)

    class G(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin, self.bn, self.blocks, self.out = lin, nn.BatchNorm2d(base * (resolution // 8)), nn.Sequential(*blocks), out

        def forward(self, z):
            x = self.lin(z).view(z.shape[0], -1, 4, 4)
            return torch.tanh(self.out(self.blocks(torch.relu(self.bn(x)))))

    return G()


def critic(base, resolution, norm):
    """@gan/models' dcganDiscriminator: convs (4, stride 2) to 4×4, leakyReLU 0.2, a dense score;
    biases when there is no norm, batch norm (no bias) from the second conv for the DCGAN one."""
    layers, size, c_in, filters = [], resolution, 3, base
    first = True
    while size > 4:
        layers.append(nn.Conv2d(c_in, filters, 4, 2, 1, bias=norm is None or first))
        if norm == 'batch' and not first:
            layers.append(nn.BatchNorm2d(filters))
        layers.append(nn.LeakyReLU(0.2))
        c_in, filters, size, first = filters, filters * 2, size // 2, False
    layers += [nn.Flatten(), nn.Linear(c_in * 16, 1)]
    return nn.Sequential(*layers)


def wgan_gp(G, D, latent, batch, resolution):
    oG = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.9))
    oD = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.9))
    x = torch.rand(batch, 3, resolution, resolution) * 2 - 1
    state = {'i': 0}

    def step():
        state['i'] += 1
        z = torch.randn(batch, latent)
        fake = G(z).detach()
        oD.zero_grad()
        alpha = torch.rand(batch, 1, 1, 1)
        xh = (alpha * x + (1 - alpha) * fake).requires_grad_(True)
        grad, = torch.autograd.grad(D(xh).sum(), xh, create_graph=True)
        gp = 10 * ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
        (D(fake).mean() - D(x).mean() + gp).backward()
        oD.step()
        if state['i'] % 5 == 0:
            oG.zero_grad()
            (-D(G(torch.randn(batch, latent))).mean()).backward()
            oG.step()

    return step


def dcgan(G, D, latent, batch, resolution):
    oG = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
    oD = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    x = torch.rand(batch, 3, resolution, resolution) * 2 - 1

    def step():
        fake = G(torch.randn(batch, latent))
        oD.zero_grad()
        (bce(D(x).view(-1), torch.ones(batch)) + bce(D(fake.detach()).view(-1), torch.zeros(batch))).backward()
        oD.step()
        oG.zero_grad()
        bce(D(fake).view(-1), torch.ones(batch)).backward()
        oG.step()

    return step


if config == 'quick':
    step = wgan_gp(generator(32, 16, 16), critic(16, 16, None), 32, 32, 16)
elif config == 'wgan-gp-64':
    step = wgan_gp(generator(100, 64, 64), critic(64, 64, None), 100, 16, 64)
elif config == 'dcgan-64':
    # The PyTorch DCGAN tutorial's networks (@gan/models' pytorchDcgan), z as [n, 100, 1, 1].
    def block(c_in, c_out, t=False):
        conv = (nn.ConvTranspose2d if t else nn.Conv2d)(c_in, c_out, 4, 2, 1, bias=False)
        return [conv, nn.BatchNorm2d(c_out), nn.ReLU() if t else nn.LeakyReLU(0.2)]

    G = nn.Sequential(nn.Unflatten(1, (100, 1, 1)), nn.ConvTranspose2d(100, 512, 4, 1, 0, bias=False), nn.BatchNorm2d(512),
                      nn.ReLU(), *block(512, 256, True), *block(256, 128, True), *block(128, 64, True),
                      nn.ConvTranspose2d(64, 3, 4, 2, 1, bias=False), nn.Tanh())
    D = nn.Sequential(nn.Conv2d(3, 64, 4, 2, 1, bias=False), nn.LeakyReLU(0.2), *block(64, 128), *block(128, 256),
                      *block(256, 512), nn.Conv2d(512, 1, 4, 1, 0, bias=False))
    step = dcgan(G, D, 100, 16, 64)
else:
    raise SystemExit(f'unknown config {config}')

for _ in range(5):
    step()
print('ready', flush=True)
for _ in sys.stdin:
    t = time.perf_counter()
    for _ in range(iterations):
        step()
    print((time.perf_counter() - t) / iterations, flush=True)
