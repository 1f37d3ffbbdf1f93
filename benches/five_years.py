"""Five years of a studio archive, as a studio would keep it (prints figures; asserts
nothing). Run through `bash benches/archive.sh five-years`.

250 records, one `dashi record add` each, dated over 2027-2031 in date order: 25 带徒,
41 带徒进展, 65 活动 with 208 photos of 2000 x 1500, 25 成果, 10 制度, 10 成员,
15 荣誉, 59 经费, 5 of them major; and 4 reports (考核 2027-2028, 考核 2029-2030,
考核 2031, 验收). After every step ocfl-validate.py and rocfl validate judge the archive.
Prints: the inventories against the content, `record add` at the last record against
hashing its new bytes, the peak RSS of every add, and verify side by side.

Usage: python3 five_years.py DASHI ROCFL WORKDIR
"""

import csv
import datetime
import hashlib
import io
import os
import random
import re
import subprocess
import sys
import time

DASHI, ROCFL, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
random.seed(2027)
os.chdir(WORK)
# "Today" at the end of 2031 for every command (records may not be dated later).
ENV = dict(os.environ, SOURCE_DATE_EPOCH=str(int(datetime.datetime(2032, 1, 1, 12).timestamp())), NO_COLOR="1")


def run(*args, timed=False):
    cmd = ["/usr/bin/time", "-f", "%e %M"] + list(args) if timed else list(args)
    p = subprocess.run(cmd, env=ENV, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{p.stdout}{p.stderr}")
    if timed:
        secs, kib = p.stderr.strip().splitlines()[-1].split()
        return p.stdout, float(secs), int(kib)
    return p.stdout


def id_number(n):
    """A valid 18-digit resident ID (GB 11643 check digit)."""
    body = f"150105{1990 + n % 15}{(n % 12) + 1:02d}{(n % 27) + 1:02d}{n % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]
    return body + check


def photo(path, seed):
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (2000, 1500), (seed * 37 % 256, seed * 91 % 256, seed * 13 % 256))
    d = ImageDraw.Draw(img)
    rnd = random.Random(seed)
    for _ in range(400):
        x, y = rnd.randrange(2000), rnd.randrange(1500)
        d.ellipse([x, y, x + rnd.randrange(20, 300), y + rnd.randrange(20, 300)],
                  fill=(rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
    noise = Image.effect_noise((2000, 1500), 40).convert("RGB")
    Image.blend(img, noise, 0.25).save(path, quality=88)


def validators(step):
    for cmd in (["ocfl-validate.py", "A"], [ROCFL, "validate", "-p", "A"]):
        p = subprocess.run(cmd, capture_output=True, text=True)
        out = p.stdout + p.stderr
        bad = p.returncode != 0 or re.search(r"\[[EW]\d|rror|arning", out) and "is VALID" not in out
        if bad or re.search(r"\[[EW]\d", out):
            print(f"!! {cmd[0]} after {step}: {out.strip()[:400]}")
            validators.failures += 1


validators.failures = 0

# The plan: kinds in the measured proportions, dates spread evenly over five years.
kinds = (["带徒"] * 25 + ["带徒进展"] * 41 + ["活动"] * 65 + ["成果"] * 25 + ["制度"] * 10
         + ["成员"] * 10 + ["荣誉"] * 15 + ["经费"] * 59)
random.shuffle(kinds)
# Apprentices come before their progress.
kinds.sort(key=lambda k: 0 if k == "带徒" else 1)
start = datetime.date(2027, 1, 5)
dates = sorted(start + datetime.timedelta(days=int(i * 1820 / 250)) for i in range(250))
# Keep every 带徒 before the first 带徒进展 in date order: interleave by index.
plan = []
apprentices, progress = [k for k in kinds if k == "带徒"], [k for k in kinds if k != "带徒"]
random.shuffle(progress)
a_i = 0
for i in range(250):
    if a_i < len(apprentices) and (i % 10 == 0 or len(progress) == 0):
        plan.append("带徒")
        a_i += 1
    elif progress:
        plan.append(progress.pop())
    else:
        plan.append("带徒")
        a_i += 1
major_at = {40, 90, 140, 190, 240}

os.makedirs("t", exist_ok=True)
for kind in set(kinds) | {"活动"}:
    run(DASHI, "record", "new", kind, "-o", f"t/{kind}.toml", "--force")
templates = {k: open(f"t/{k}.toml", encoding="utf-8").read() for k in set(kinds) | {"活动"}}
os.makedirs("rec", exist_ok=True)
for f in os.listdir("t"):
    if not f.endswith(".toml"):
        subprocess.run(["cp", f"t/{f}", f"rec/{f}"], check=True)

reports = {datetime.date(2029, 1, 10): ("考核", "2027-01", "2028-12"),
           datetime.date(2031, 1, 10): ("考核", "2029-01", "2030-12"),
           datetime.date(2031, 12, 28): ("考核", "2031-01", "2031-12")}
apprentice_ids, adds, max_rss, max_major_rss, activities = [], [], 0, 0, 0
last_add = None
for i, (kind, date) in enumerate(zip(plan, dates)):
    for when in sorted(reports):
        if date > when:
            k, f, t = reports.pop(when)
            _, secs, kib = run(DASHI, "report", "A", "--kind", k, "--from", f, "--to", t,
                               "-o", f"报告-{f}.pdf", timed=True)
            print(f"report {k} {f}..{t}: {secs:.2f} s, {kib / 1024:.1f} MiB")
            validators(f"report {f}")
    text = templates[kind]
    rid = f"{kind}-{date.year}-{i + 1:03d}"
    text = re.sub(r'^id = ".*"$', f'id = "{rid}"', text, count=1, flags=re.M)
    text = re.sub(r'^date = ".*"$', f'date = "{date}"', text, count=1, flags=re.M)
    if kind == "带徒":
        text = text.replace('id_number = "150105200103150017"', f'id_number = "{id_number(i)}"')
        apprentice_ids.append(rid)
    if kind == "带徒进展":
        text = re.sub(r'^apprentice = ".*"$', f'apprentice = "{random.choice(apprentice_ids)}"', text,
                      flags=re.M)
        text = re.sub(r'^certificate_number = ".*"$', f'certificate_number = "S0000150100{i:011d}"',
                      text, flags=re.M)
    if kind == "成员":
        text = text.replace('id_number = "150104199207080058"', f'id_number = "{id_number(1000 + i)}"')
    if i in major_at and kind in ("活动", "成果", "荣誉"):
        text = text.replace("major = false", "major = true")
    elif i in major_at:
        major_at.add(i + 1)
    if kind == "活动":
        activities += 1
        n = 4 if activities <= 13 else 3  # 13 x 4 + 52 x 3 = 208 photos
        text = re.sub(r"\[\[files\]\][\s\S]*$", "", text)
        for j in range(n):
            name = f"{rid}-{j + 1}.jpg"
            photo(f"rec/{name}", i * 10 + j)
            text += f'\n[[files]]\nfile = "{name}"\nshows = "活动照片 {j + 1}"\n'
    path = f"rec/{rid}.toml"
    open(path, "w", encoding="utf-8").write(text)
    out, secs, kib = run(DASHI, "record", "add", "A", path, timed=True)
    if "major = true" in text:
        max_major_rss = max(max_major_rss, kib)
    else:
        max_rss = max(max_rss, kib)
    adds.append(secs)
    last_add = (path, secs, text)
    validators(f"record {i + 1}")
    if (i + 1) % 50 == 0:
        versions = len([d for d in os.listdir("A") if re.fullmatch(r"v\d+", d)])
        print(f"record {i + 1}: {versions} versions, add {secs:.2f} s, peak RSS so far {max_rss / 1024:.1f} MiB")

# 验收 at the end of the five years.
_, secs, kib = run(DASHI, "report", "A", "--kind", "验收", "--to", "2031-12", "-o", "验收.pdf", timed=True)
print(f"report 验收 ..2031-12: {secs:.2f} s, {kib / 1024:.1f} MiB")
validators("验收")


def sizes():
    inventories = content = 0
    for dirpath, _, files in os.walk("A"):
        for f in files:
            size = os.path.getsize(os.path.join(dirpath, f))
            if f == "inventory.json":
                inventories += size
            elif "/content" in dirpath:
                content += size
    return inventories, content


inv, content = sizes()
versions = len([d for d in os.listdir("A") if re.fullmatch(r"v\d+", d)])
print(f"== after 250 records and 4 reports: {versions} versions; all inventory.json files "
      f"{inv / 1e6:.1f} MB, content {content / 1e6:.1f} MB, inventories / content = {inv / content:.3f}")

# record add at record 250 against hashing its new bytes (sha512 and sha256, as dashi does).
path, secs, text = last_add
names = [path] + [f"rec/{m}" for m in re.findall(r'^file = "(.*)"$', text, flags=re.M)]
t0 = time.perf_counter()
for _ in range(3):
    for n in names:
        data = open(n, "rb").read()
        hashlib.sha512(data).digest()
        hashlib.sha256(data).digest()
hashing = (time.perf_counter() - t0) / 3
print(f"record add at record 250: {secs:.2f} s; hashing its new bytes {hashing:.3f} s; "
      f"beyond hashing {secs - hashing:.2f} s")
print(f"peak RSS of the adds: {max_rss / 1024:.1f} MiB; of the 5 major adds (each typesets "
      f"its report): {max_major_rss / 1024:.1f} MiB")
print(f"validators: {validators.failures} findings after {250 + 4} steps")

# The archive room's work on the five years: the catalogue, the 四性检测 at 归档 (every
# file opened and decoded), the 移交 disc and the receiving room's check of it.
# The receiver checks the disc against the digest the sender's 登记表 gives.
def sent_digest():
    with open("移交.iso-移交与接收登记表.csv", encoding="utf-8-sig") as f:
        return next(row[1] for row in csv.reader(f) if row and row[0].startswith("数字摘要"))


for label, args in [
    ("archive catalogue (all volumes, xlsx and PDF)", ("archive", "catalogue", "A", "-o", "目录")),
    ("verify --四性 (归档)", ("verify", "A", "--四性", "-o", "检测报告.pdf")),
    ("archive export --移交 (disc image)", ("archive", "export", "A", "--移交", "-o", "移交.iso")),
    ("verify 移交.iso --四性 --环节 移交 --expect <登记表的数字摘要>",
     lambda: ("verify", "移交.iso", "--四性", "--环节", "移交", "--expect", sent_digest())),
]:
    out, secs, kib = run(DASHI, *(args() if callable(args) else args), timed=True)
    print(f"{label}: {secs:.2f} s, peak RSS {kib / 1024:.1f} MiB")
items = sum(1 for _ in os.scandir("目录")) // 2
print(f"catalogue: {items} volumes; 四性: {out.strip().splitlines()[-2] if out.strip() else ''}")
