#!/usr/bin/env bash
# Installs Lipschitz PnP into Debian's ImageJ 1.x (a temporary plugins folder), starts a real
# ImageJ window under xvfb, runs Deconvolve from a macro and then from its menu command (dialog,
# macro recorder on), and saves screenshots to docs/images/.
# Needs: apt-get install imagej xvfb imagemagick xdotool ; a JDK 17; Maven (builds on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
IJ_JAR=${IJ_JAR:-/usr/share/java/ij.jar}
for tool in xvfb-run import xdotool xwininfo java; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install imagej xvfb imagemagick xdotool" >&2; exit 1; }
done
[ -f "$IJ_JAR" ] || { echo "no $IJ_JAR: apt-get install imagej" >&2; exit 1; }
JAR=$(ls target/lipschitz-pnp-*-SNAPSHOT.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
if [ -z "$JAR" ] || [ ! -d target/lib ]; then
  mvn -B -q package -DskipTests
  JAR=$(ls target/lipschitz-pnp-*-SNAPSHOT.jar | grep -v -e sources -e tests | head -1)
fi
OUT=${OUT:-docs/images}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/plugins/jars"
# ImageJ 1.x reads plugins.config only from plugin jars whose name has an underscore.
cp "$JAR" "$WORK/plugins/Lipschitz_PnP.jar"
for j in target/lib/*.jar; do
  case "$(basename "$j")" in ij-*.jar) ;; *) cp "$j" "$WORK/plugins/jars/" ;; esac
done
cp sample-images/eval/cell_qpi_512.tif "$WORK/cell.tif"

cat > "$WORK/demo.ijm" <<MACRO
run("Record...");
open("$WORK/cell.tif");
makeRectangle(160, 160, 160, 160);
run("Crop");
rename("cell.tif");
setLocation(10, 130);
run("Deconvolve (Lipschitz PnP)", "psf=<none> generate=[Born & Wolf] na=1.4 wavelength=520 refractive=1.518 method=[Richardson-Lucy] iterations=15 boundary=REFLECTIVE plot");
// No window manager under xvfb: place the windows side by side.
selectWindow("cell-Richardson-Lucy-15it");
setLocation(10, 520);
selectWindow("Convergence: cell-Richardson-Lucy-15it");
setLocation(720, 560);
if (isOpen("Recorder")) { selectWindow("Recorder"); setLocation(720, 120); }
if (isOpen("Log")) { selectWindow("Log"); setLocation(1100, 120); }
selectImage("cell.tif");
// Like choosing Plugins > Lipschitz PnP > Deconvolve from the menu: the dialog opens (with the
// values of the last run) and the recorder records the command.
doCommand("Deconvolve (Lipschitz PnP)");
MACRO

cat > "$WORK/inside-x.sh" <<INSIDE
#!/usr/bin/env bash
set -euo pipefail
cd "$WORK"
wait_for() { # window-name-substring timeout-seconds
  for _ in \$(seq 1 "\$2"); do
    # read the whole tree first: with pipefail, grep -q quitting early SIGPIPEs xwininfo and the test fails
    tree=\$(xwininfo -root -tree 2>/dev/null || true)
    if grep -q -- "\$1" <<<"\$tree"; then return 0; fi
    sleep 1
  done
  echo "timed out waiting for a window '\$1'" >&2; cat ij.log >&2; return 1
}
OPT_OUT_TRACKING=true java -Dai.djl.offline=true -Dplugins.dir="$WORK" -Xmx3g -jar "$IJ_JAR" \\
  -macro "$WORK/demo.ijm" > ij.log 2>&1 &
IJ=\$!
trap "kill \$IJ 2>/dev/null || true" EXIT
wait_for "cell-Richardson-Lucy-15it" 240
wait_for 'Deconvolve (Lipschitz PnP)"' 60
sleep 2
import -window root "$OUT/deconvolve-dialog.png"
W=\$(xdotool search --name "^Deconvolve \\(Lipschitz PnP\\)\$" | head -1)
xdotool windowactivate --sync "\$W" key Return || xdotool key Return
sleep 10
for w in \$(xdotool search --name "^Recorder\$"); do xdotool windowmove "\$w" 200 560 windowraise "\$w" || true; done
sleep 1
import -window root "$OUT/deconvolve-result.png"
xwininfo -root -tree | grep -c "cell-Richardson-Lucy-15it" > windows.txt || true
cat ij.log
INSIDE
chmod +x "$WORK/inside-x.sh"
xvfb-run -a -s "-screen 0 1400x1000x24" "$WORK/inside-x.sh"
n=$(cat "$WORK/windows.txt" 2>/dev/null || echo 0)
echo "windows of the two Deconvolve runs (images and plots): $n"
[ "$n" -ge 4 ] || { echo "FAILED: the run from the dialog left no result" >&2; exit 1; }
echo "screenshots: $OUT/deconvolve-dialog.png $OUT/deconvolve-result.png"

# Second stage, batch mode: the model route inside plain ImageJ (DJL loaded by ImageJ's plugin
# class loader): train a tiny denoiser with the Train command, certify it, denoise, and deconvolve
# with PnP-ADMM, then PnP-ADMM with the bundled model that "auto (by noise level)" picks. The own model is made here (5 steps: a smoke test, not a
# useful denoiser).
cat > "$WORK/models.ijm" <<MACRO
open("$WORK/cell.tif");
rename("source");
makeRectangle(40, 40, 80, 80);
run("Duplicate...", "title=tr1");
selectImage("source");
makeRectangle(300, 300, 80, 80);
run("Duplicate...", "title=tr2");
run("Images to Stack", "name=train title=tr use");
selectImage("source");
makeRectangle(100, 100, 96, 96);
run("Duplicate...", "title=cell");
selectImage("train");
run("Train Denoiser (Lipschitz PnP)", "output=$WORK/tiny.lpnp.zip sigma=0.05 width=4 depth=2 patch=16 batch=4 steps=5 device=cpu");
run("Model Info & Certify (Lipschitz PnP)", "model=[from file...] model_file=$WORK/tiny.lpnp.zip device=cpu");
selectImage("cell");
run("Denoise (Lipschitz PnP)", "model=[from file...] model_file=$WORK/tiny.lpnp.zip device=cpu");
print("RESULT " + getTitle() + " " + bitDepth() + "-bit");
selectImage("cell");
run("Deconvolve (Lipschitz PnP)", "psf=<none> generate=[Born & Wolf] na=1.4 wavelength=520 refractive=1.518 method=[PnP-ADMM] model=[from file...] model_file=$WORK/tiny.lpnp.zip iterations=3 device=cpu");
print("RESULT " + getTitle() + " " + bitDepth() + "-bit");
selectImage("cell");
rename("bundled");
run("Deconvolve (Lipschitz PnP)", "psf=<none> generate=[Born & Wolf] na=1.4 wavelength=520 refractive=1.518 method=[PnP-ADMM] model=[auto (by noise level)] iterations=3 device=cpu");
print("RESULT " + getTitle() + " " + bitDepth() + "-bit");
print("LOG " + getInfo("log"));
MACRO
(cd "$WORK" && OPT_OUT_TRACKING=true xvfb-run -a java -Dai.djl.offline=true -Dplugins.dir="$WORK" -Xmx3g \
  -jar "$IJ_JAR" -batch "$WORK/models.ijm" > models.log 2>&1) || true
grep -e '^wrote' -e '^certified bound' -e '^RESULT' -e 'Exception' -e 'Lipschitz PnP: model' "$WORK/models.log" || true
grep -q '^RESULT cell-denoised-tiny 32-bit' "$WORK/models.log" \
  && grep -q '^RESULT cell-PnP-ADMM-3it 32-bit' "$WORK/models.log" \
  && grep -q '^RESULT bundled-PnP-ADMM-3it 32-bit' "$WORK/models.log" \
  && grep -q 'Lipschitz PnP: model gauss[0-9]* (bundled, closest to the estimated noise' "$WORK/models.log" \
  || { echo "FAILED: the model route did not run; log:" >&2; cat "$WORK/models.log" >&2; exit 1; }
echo "model route OK: trained, certified, denoised and deconvolved with PnP-ADMM inside ImageJ (own model, then the bundled one picked by noise level)"
