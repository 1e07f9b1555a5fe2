#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""End to end through the accessibility tree: a clerk keys a whole birth
record in the real application, in Vietnamese, without the mouse.

A workspace is prepared with sohoa-cli (a rendered birth-record page,
imported and read by Tesseract); the application is started on it under
AT-SPI; the keys go in through the X server (xdotool, as a keyboard would;
Vietnamese text included), the checks read the accessible tree (dogtail /
pyatspi) and, at the end, the database: every value NFC, the field marked
illegible stored as such.

Usage: test-entry-atspi.py SOHOA SOHOA-CLI SOHOA-RENDER-PAGE
Run it under its own display and session bus, e.g.
  xvfb-run -a -s "-screen 0 1440x900x24" dbus-run-session -- test-entry-atspi.py ...
(tests/ui/meson.build does).  Screenshots go to $SOHOA_SCREENSHOT_DIR if set.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata

sohoa, cli, render = sys.argv[1:4]

work = tempfile.mkdtemp(prefix="sohoa-entry-")
ws = os.path.join(work, "workspace")
shots = os.environ.get("SOHOA_SCREENSHOT_DIR") or os.path.join(work, "shots")
os.makedirs(shots, exist_ok=True)
procs = []
step = 0


started = time.monotonic()


def say(msg):
    print("# %5.1f s  %s" % (time.monotonic() - started, msg), flush=True)


def fail(msg):
    print("not ok 1 - " + msg, flush=True)
    shot("failure")
    cleanup()
    sys.exit(1)


def cleanup():
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
    if not os.environ.get("SOHOA_KEEP_WORK"):
        shutil.rmtree(work, ignore_errors=True)


def shot(name):
    path = os.path.join(shots, "entry-%s.png" % name)
    subprocess.run(["import", "-window", "root", path], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    say("screenshot " + path)


def run(args, stdin=None, env=None):
    r = subprocess.run(args, input=stdin, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        fail("%s: %s" % (" ".join(args[:4]), r.stderr.strip()))
    return r.stdout


def xdo(*args):
    subprocess.run(["xdotool"] + list(args), check=True)
    time.sleep(0.08)


def type_text(text):
    # Vietnamese letters are on the keyboard map (see map_letters), so they
    # arrive as key presses, as from a keyboard, not as pasted text.
    xdo("type", "--delay", "25", text)


def map_letters(texts):
    # xdotool types a letter missing from the keyboard map by remapping a
    # key on the fly, and GTK may read the key before the new map: letters
    # get lost.  Put every letter the test types on the map first, on keys
    # no keyboard here has (XF86 keys above 180).
    letters = sorted({ch for t in texts for ch in t if ord(ch) > 127})
    if len(letters) > 70:
        fail("too many letters to map")
    args = []
    for i, ch in enumerate(letters):
        args += ["-e", "keycode %d = U%04X" % (185 + i, ord(ch))]
    subprocess.run(["xmodmap"] + args, check=True)


def fill(text):
    key("ctrl+a")
    type_text(text)


def key(*names):
    xdo("key", "--delay", "50", *names)


def field_values():
    db = sqlite3.connect(os.path.join(ws, "sohoa.db"), timeout=10)
    try:
        return {k: (v, s) for k, v, s in db.execute(
            "SELECT key, value, state FROM field_values WHERE record_id = "
            "(SELECT id FROM records ORDER BY id LIMIT 1)")}
    finally:
        db.close()


# The workspace, as the CLI makes it ---------------------------------------

run([render, "--kind", "birth", "--seed", "7", "--dpi", "300", "--font", "Liberation Serif",
     "--out", os.path.join(work, "trich-luc.png"), "--text-out", os.path.join(work, "truth.txt")])
run([cli, "--workspace", ws, "init", "--ward-code", "26740", "--ward-name", "Phường Sài Gòn",
     "--admin", "admin"], stdin="admin-pw\n")
run([cli, "-w", ws, "--user", "admin", "user-add", "canbo", "--role", "operator",
     "--full-name", "Nguyễn Thị Lan"], stdin="admin-pw\ncanbo-pw\n")
env = dict(os.environ, SOHOA_PASSWORD="canbo-pw")
run([cli, "-w", ws, "--user", "canbo", "import", os.path.join(work, "trich-luc.png")], env=env)
run([cli, "-w", ws, "ocr", "--batch", "1"])
say("workspace ready in %s" % ws)

# The accessibility bus and the application ------------------------------

app_env = dict(os.environ)
for var in ("NO_AT_BRIDGE", "GTK_A11Y", "LANGUAGE"):
    app_env.pop(var, None)
app_env.update(LANG="vi_VN.UTF-8", LC_ALL="vi_VN.UTF-8", GDK_BACKEND="x11",
               ADW_DISABLE_PORTAL="1", SOHOA_WORKSPACE=ws, GSETTINGS_BACKEND="memory")
os.environ.pop("NO_AT_BRIDGE", None)

launcher = "/usr/libexec/at-spi-bus-launcher"
if not os.path.exists(launcher):
    fail("at-spi-bus-launcher is missing (Debian package at-spi2-core)")
procs.append(subprocess.Popen([launcher, "--launch-immediately"]))
time.sleep(1)

from gi.repository import Gio  # noqa: E402

# dogtail insists on the desktop's accessibility switch; this session's
# settings live in memory, so set it here before dogtail looks.
os.environ["GSETTINGS_BACKEND"] = "memory"
Gio.Settings.new("org.gnome.desktop.interface").set_boolean("toolkit-accessibility", True)
from dogtail import config  # noqa: E402
config.checkForA11y = False
config.searchCutoffCount = 3
config.logDebugToFile = False
from dogtail import tree  # noqa: E402

map_letters(["Lý Thanh Tường Hằng", "Bệnh viện Phụ sản Quốc tế Sài Gòn", "Thành phố Hồ Chí Minh",
             "Việt Nam", "Nguyễn Kim Anh", "116 đường Võ Văn Tần, Phường Bình Thạnh", "Lý Văn Khoa"])
app_log = open(os.path.join(work, "app.log"), "w")
procs.append(subprocess.Popen([sohoa], env=app_env, stdout=app_log, stderr=subprocess.STDOUT))


def find_app():
    for _ in range(60):
        for a in tree.root.applications():
            if a.name == "sohoa":
                return a
        time.sleep(0.5)
    fail("the application never appeared on the accessibility bus")


app = find_app()
say("application on the accessibility bus")


def wait_for(pred, what, timeout=20, within=None):
    # Searching the whole tree over D-Bus is slow: search below a node
    # already found when the test can.
    end = time.time() + timeout
    while time.time() < end:
        try:
            node = (within or app).findChild(pred, retry=False, requireResult=False)
        except Exception:
            node = None
        if node is not None:
            return node
        time.sleep(0.3)
    fail("never saw " + what)


# Sign in: the user name field has the focus.
wait_for(lambda n: n.roleName == "push button" and "Đăng nhập" in (n.name or ""), "the sign-in page")
time.sleep(0.5)
type_text("canbo")
key("Tab")
type_text("canbo-pw")
key("Return")

# The batch opens on its first page, the form beside it, in Vietnamese.
form = wait_for(lambda n: n.roleName == "list" and n.name == "Đăng ký khai sinh", "the birth-record form")
wait_for(lambda n: n.roleName == "text" and (n.name or "").startswith("Số định danh cá nhân"),
         "the personal number field", within=form)
# Auto-fill read the page: values show OCR's confidence until confirmed.
badge = wait_for(lambda n: n.roleName == "label" and (n.name or "").startswith("OCR ") and (n.name or "").endswith("%"),
                 "an auto-filled value's confidence", within=form)
say("auto-filled, e.g. " + badge.name)
time.sleep(0.5)
shot("1-opened")

# Key the record; Enter moves to the next field, Tab leaves a list field.
# Auto-fill may have put OCR's reading in a field: Ctrl+A selects it and
# the keyed value replaces it, as a clerk fixing it would.
say("keying the record")
fill("73"); key("Return")                         # so
fill("01/2025"); key("Return")                    # quyenSo
fill("15"); key("Return")                         # trangSo
fill("02/10/2025"); key("Return")                 # ngayDangKy -> loaiDangKy (list)
key("Tab")                                             # -> nksHoTen
fill("Lý Thanh Tường Hằng"); key("Return")        # -> nksGioiTinh (list)
key("space"); time.sleep(0.6)                          # open the list
key("Home", "Down", "Down", "Return"); time.sleep(0.4) # 2 — Nữ
key("Tab")                                             # -> nksNgaySinh
fill("29/08/2025"); key("Return")                 # -> nksNgaySinhBangChu
key("ctrl+i"); key("Return")                           # illegible -> nksNoiSinh
fill("Bệnh viện Phụ sản Quốc tế Sài Gòn"); key("Return")
fill("Thành phố Hồ Chí Minh"); key("Return")      # nksQueQuan -> nksDanToc (list)
key("Tab")                                             # -> nksQuocTich
fill("Việt Nam"); key("Return")                   # -> nksSoDinhDanh

# Autosave: what was typed is in the database within a second, without
# any save command.
time.sleep(1.0)
values = field_values()
if values.get("nksQuocTich", ("", ""))[0] != "Việt Nam":
    fail("a typed value was not saved within a second: %r" % (values.get("nksQuocTich"),))
say("autosaved within 1 s")

# A personal number one digit short: the validator says so, in the tree.
fill("07932571899")
problem = wait_for(lambda n: n.roleName == "image" and "12 chữ số" in (n.name or ""),
                   "the personal-number error", within=form)
say("validator: " + problem.name)
shot("2-cccd-error")
for _ in range(11):
    key("BackSpace")
type_text("079325718990")
time.sleep(0.8)
stale = form.findChild(lambda n: n.roleName == "image" and "12 chữ số" in (n.name or ""),
                      retry=False, requireResult=False)
if stale is not None:
    fail("the personal-number error stayed after the fix")
key("Return")

fill("Nguyễn Kim Anh"); key("Return")             # meHoTen
fill("1985"); key("Return")                       # meNgaySinh -> meDanToc (list)
key("Tab")
fill("Việt Nam"); key("Return")                   # meQuocTich
fill("116 đường Võ Văn Tần, Phường Bình Thạnh"); key("Return")
fill("001185171000"); key("Return")               # meSoGiayToTuyThan
fill("Lý Văn Khoa"); key("Return")                # chaHoTen
fill("1983"); key("Return")                       # chaNgaySinh -> chaDanToc (list)
key("Tab")
fill("Việt Nam"); key("Return")                   # chaQuocTich
time.sleep(0.5)

# The illegible mark is on its row, for eyes and for screen readers.
wait_for(lambda n: n.roleName == "label" and n.name == "Không đọc được",
         "the illegible mark", timeout=5, within=form)
shot("3-keyed")

# Ctrl+Enter: saved, next record (this batch has one, so it says so).
say("keyed; Ctrl+Enter")
key("ctrl+Return")
time.sleep(1.0)
shot("4-saved")

# Found again by an unaccented search: Ctrl+F, the name typed without
# marks, the record among the hits, Enter opens it.
say("searching without marks")
key("ctrl+f")
search = wait_for(lambda n: n.name == "Tìm hồ sơ" and n.roleName in ("text", "entry", "search box"), "the search entry", timeout=10)
say("search entry: %s" % search.roleName)
time.sleep(0.3)
type_text("ly thanh tuong hang")
hit = wait_for(lambda n: "Lý Thanh Tường Hằng" in (n.name or "") and n.roleName != "text",
               "the keyed record among the search hits", timeout=15)
shot("5-search")
key("Return")
time.sleep(0.5)
key("Escape")

# The database has the record as keyed: NFC, the illegible field marked.
values = field_values()
expected = {
    "so": "73", "quyenSo": "01/2025", "trangSo": "15", "ngayDangKy": "02/10/2025",
    "nksHoTen": "Lý Thanh Tường Hằng", "nksGioiTinh": "2", "nksNgaySinh": "29/08/2025",
    "nksNoiSinh": "Bệnh viện Phụ sản Quốc tế Sài Gòn", "nksQueQuan": "Thành phố Hồ Chí Minh",
    "nksQuocTich": "Việt Nam", "nksSoDinhDanh": "079325718990",
    "meHoTen": "Nguyễn Kim Anh", "meNgaySinh": "1985", "meQuocTich": "Việt Nam",
    "meNoiCuTru": "116 đường Võ Văn Tần, Phường Bình Thạnh", "meSoGiayToTuyThan": "001185171000",
    "chaHoTen": "Lý Văn Khoa", "chaNgaySinh": "1983", "chaQuocTich": "Việt Nam",
}
for k, want in expected.items():
    got, state = values.get(k, (None, None))
    if got is None:
        fail("%s was not saved" % k)
    if not unicodedata.is_normalized("NFC", got):
        fail("%s is not NFC" % k)
    if got.casefold() != unicodedata.normalize("NFC", want).casefold():
        fail("%s is %r, expected %r" % (k, got, want))
    if state != "filled":
        fail("%s is %s, expected filled" % (k, state))
if values.get("nksNgaySinhBangChu", (None, None))[1] != "illegible":
    fail("the field marked illegible is stored as %r" % (values.get("nksNgaySinhBangChu"),))

# The record is complete for the CLI's checks too: the audit log holds.
run([cli, "-w", ws, "audit-verify"])

say("done")
print("ok 1 - a birth record keyed by keyboard through the real application")
print("1..1")
cleanup()
