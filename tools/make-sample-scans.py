#!/usr/bin/env python3
"""Draws the fictional sample scans under samples/evidence (run by hand; the output is
committed). Each page is marked 样例 and made to look like a scan: off-white paper, a
slight skew, grain, a red seal. Needs Pillow and the Fandol fonts in fonts/."""
import math, random, sys
from pathlib import Path
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "samples" / "evidence"
SONG = str(ROOT / "fonts" / "FandolSong-Regular.otf")
SONG_B = str(ROOT / "fonts" / "FandolSong-Bold.otf")
HEI = str(ROOT / "fonts" / "FandolHei-Regular.otf")
KAI = str(ROOT / "fonts" / "FandolKai-Regular.otf")
W, H = 992, 1403  # A4 at 120 dpi


def font(path, size):
    return ImageFont.truetype(path, size)


def seal(draw, cx, cy, r, text):
    red = (200, 30, 30)
    draw.ellipse([cx - r, cy - r, cx + r, cy + r], outline=red, width=6)
    f = font(SONG_B, int(r * 0.28))
    n = len(text)
    for i, ch in enumerate(text):
        a = math.radians(-150 + 120 * i / max(n - 1, 1))
        x, y = cx + math.cos(a) * r * 0.72, cy + math.sin(a) * r * 0.72
        draw.text((x, y), ch, font=f, fill=red, anchor="mm")
    draw.text((cx, cy), "★", font=font(SONG, int(r * 0.6)), fill=red, anchor="mm")


def finish(img, name, seed):
    rnd = random.Random(seed)
    # watermark
    mark = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(mark)
    f = font(HEI, int(img.width * 0.22))
    for k in range(2):
        d.text((img.width / 2, img.height * (0.33 + 0.34 * k)), "样例", font=f, fill=70, anchor="mm")
    mark = mark.rotate(30, resample=Image.BICUBIC)
    grey = Image.new("RGB", img.size, (150, 150, 150))
    img = Image.composite(grey, img, mark)
    # skew, grain, blur: a flatbed scan
    img = img.rotate(rnd.uniform(-0.8, 0.8), resample=Image.BICUBIC, fillcolor=(238, 236, 230))
    noise = Image.effect_noise(img.size, 10).convert("RGB")
    img = Image.blend(img, noise, 0.06)
    img = img.filter(ImageFilter.GaussianBlur(0.5))
    path = OUT / name
    if name.endswith(".pdf"):
        img.save(path, "PDF", resolution=120.0)
    else:
        img.save(path, "JPEG", quality=72, optimize=True)
    print(path.name, path.stat().st_size)


def paper(w=W, h=H):
    return Image.new("RGB", (w, h), (246, 244, 238))


def certificate(name, title, lines, issuer, date, seed, border=(170, 40, 40)):
    img = paper()
    d = ImageDraw.Draw(img)
    d.rectangle([40, 40, W - 40, H - 40], outline=border, width=10)
    d.rectangle([62, 62, W - 62, H - 62], outline=border, width=3)
    d.text((W / 2, 240), title, font=font(SONG_B, 78), fill=border, anchor="mm")
    y = 420
    for line in lines:
        d.text((130, y), line, font=font(KAI, 40), fill=(30, 30, 30))
        y += 78
    d.text((W - 140, H - 330), issuer, font=font(SONG, 36), fill=(30, 30, 30), anchor="rm")
    d.text((W - 140, H - 270), date, font=font(SONG, 36), fill=(30, 30, 30), anchor="rm")
    seal(d, W - 300, H - 330, 110, issuer[:12])
    finish(img, name, seed)


def id_card(name, sex, born, address, number, seed):
    img = paper()
    d = ImageDraw.Draw(img)
    card = (150, 150, W - 150, 150 + int((W - 300) * 0.63))
    d.rounded_rectangle(card, 28, fill=(228, 236, 240), outline=(120, 130, 140), width=3)
    x0, y0 = card[0] + 40, card[1] + 50
    small, big = font(HEI, 24), font(HEI, 32)
    rows = [("姓名", name), ("性别", f"{sex}      民族  汉"), ("出生", born), ("住址", address)]
    for i, (k, v) in enumerate(rows):
        d.text((x0, y0 + i * 62), k, font=small, fill=(60, 100, 150))
        d.text((x0 + 90, y0 - 4 + i * 62), v, font=big, fill=(20, 20, 20))
    d.text((x0, card[3] - 70), "公民身份号码", font=small, fill=(60, 100, 150))
    d.text((x0 + 180, card[3] - 76), number, font=font(HEI, 36), fill=(20, 20, 20))
    d.rectangle([card[2] - 230, card[1] + 50, card[2] - 50, card[1] + 280], fill=(205, 212, 220))
    back = (150, card[3] + 80, W - 150, card[3] + 80 + (card[3] - card[1]))
    d.rounded_rectangle(back, 28, fill=(232, 238, 228), outline=(120, 130, 140), width=3)
    d.text(((back[0] + back[2]) / 2, back[1] + 120), "中华人民共和国", font=font(SONG_B, 48), fill=(40, 40, 40), anchor="mm")
    d.text(((back[0] + back[2]) / 2, back[1] + 200), "居民身份证", font=font(SONG_B, 64), fill=(40, 40, 40), anchor="mm")
    d.text((back[0] + 60, back[3] - 110), "签发机关  呼和浩特市公安局赛罕区分局", font=small, fill=(30, 30, 30))
    d.text((back[0] + 60, back[3] - 60), "有效期限  2016.03.01-2036.03.01", font=small, fill=(30, 30, 30))
    d.text((W / 2, H - 200), "复印件与原件一致（样例）", font=font(KAI, 36), fill=(60, 60, 60), anchor="mm")
    finish(img, name_file(name, "身份证"), seed)


def name_file(person, what):
    return f"{person}-{what}.jpg"


def licence(seed):
    img = paper(W, H)
    d = ImageDraw.Draw(img)
    d.rectangle([36, 36, W - 36, H - 36], outline=(180, 140, 60), width=14)
    d.text((W / 2, 190), "营 业 执 照", font=font(SONG_B, 88), fill=(170, 40, 40), anchor="mm")
    d.text((W / 2, 280), "（副 本）", font=font(SONG, 40), fill=(40, 40, 40), anchor="mm")
    rows = [
        ("统一社会信用代码", "91150100MA0Q7K3B27"),
        ("名称", "呼和浩特市青城装备制造有限公司"),
        ("类型", "有限责任公司"),
        ("法定代表人", "刘国强"),
        ("注册资本", "贰仟万元整"),
        ("成立日期", "2009年04月16日"),
        ("住所", "呼和浩特市赛罕区金桥开发区宝力尔街18号"),
        ("经营范围", "金属结构、风电塔筒、压力容器制造"),
    ]
    y = 400
    for k, v in rows:
        d.text((110, y), k, font=font(HEI, 30), fill=(40, 40, 40))
        d.text((390, y), v, font=font(SONG, 30), fill=(20, 20, 20))
        y += 80
    d.text((W - 120, H - 260), "登记机关  呼和浩特市市场监督管理局", font=font(SONG, 30), fill=(30, 30, 30), anchor="rm")
    d.text((W - 120, H - 200), "2021年08月10日", font=font(SONG, 30), fill=(30, 30, 30), anchor="rm")
    seal(d, W - 300, H - 260, 110, "呼和浩特市市场监督管理局")
    finish(img, "营业执照.jpg", seed)


def patent(seed):
    pages = []
    for p in range(2):
        img = paper()
        d = ImageDraw.Draw(img)
        if p == 0:
            d.rectangle([50, 50, W - 50, H - 50], outline=(40, 90, 150), width=8)
            d.text((W / 2, 230), "实用新型专利证书", font=font(SONG_B, 72), fill=(40, 90, 150), anchor="mm")
            lines = ["实用新型名称：厚板窄间隙焊接工装", "发明人：王建军；李红梅", "专利号：ZL 2018 2 0312345.6（样例）",
                     "专利申请日：2018年03月02日", "专利权人：呼和浩特市青城装备制造有限公司"]
            y = 420
            for line in lines:
                d.text((120, y), line, font=font(SONG, 34), fill=(20, 20, 20))
                y += 80
            seal(d, W - 300, H - 320, 110, "国家知识产权局")
        else:
            d.text((W / 2, 160), "权 利 要 求 书", font=font(HEI, 48), fill=(20, 20, 20), anchor="mm")
            y = 280
            for i in range(1, 9):
                d.text((110, y), f"{i}. 一种厚板窄间隙焊接工装，其特征在于……（样例文字）", font=font(SONG, 30), fill=(30, 30, 30))
                y += 90
        pages.append(finish_page(img, 40 + p))
    path = OUT / "王建军-专利证书.pdf"
    pages[0].save(path, "PDF", resolution=120.0, save_all=True, append_images=pages[1:])
    print(path.name, path.stat().st_size)


def finish_page(img, seed):
    rnd = random.Random(seed)
    mark = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(mark)
    d.text((img.width / 2, img.height / 2), "样例", font=font(HEI, int(img.width * 0.22)), fill=70, anchor="mm")
    mark = mark.rotate(30, resample=Image.BICUBIC)
    img = Image.composite(Image.new("RGB", img.size, (150, 150, 150)), img, mark)
    img = img.rotate(rnd.uniform(-0.8, 0.8), resample=Image.BICUBIC, fillcolor=(238, 236, 230))
    return img.filter(ImageFilter.GaussianBlur(0.5))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    licence(1)
    id_card("王建军", "男", "1978 年 5 月 12 日", "呼和浩特市赛罕区大学东街", "15010519780512031X", 2)
    id_card("李红梅", "女", "1986 年 9 月 23 日", "呼和浩特市新城区兴安北路", "150102198609230242", 3)
    id_card("张伟", "男", "1990 年 3 月 15 日", "呼和浩特市玉泉区南二环路", "150104199003150579", 4)
    certificate("王建军-高级技师证书.jpg", "职业资格证书",
                ["姓名：王建军", "职业（工种）：焊工", "等级：高级技师（一级）", "证书编号：1215000000300123（样例）"],
                "内蒙古自治区人力资源和社会保障厅", "二〇一三年十二月", 5, border=(40, 110, 70))
    certificate("王建军-全国技术能手证书.jpg", "荣 誉 证 书",
                ["王建军 同志：", "　　被授予第十三届", "　　“全国技术能手”称号。", "　　特发此证。"],
                "人力资源和社会保障部", "二〇一六年十二月", 6)
    certificate("王建军-五一劳动奖章证书.jpg", "荣 誉 证 书",
                ["王建军 同志：", "　　荣获呼和浩特市", "　　五一劳动奖章。", "　　特发此证。"],
                "呼和浩特市总工会", "二〇一四年四月", 7)
    certificate("张伟-高级工证书.jpg", "职业技能等级证书",
                ["姓名：张伟", "职业（工种）：焊工", "等级：三级/高级工", "证书编号：S000015010004231000112（样例）"],
                "呼和浩特市青城装备制造有限公司", "二〇二二年六月", 8, border=(40, 90, 150))
    patent(9)


if __name__ == "__main__":
    sys.exit(main())
