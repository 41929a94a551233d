#@ File (label = "Input folder (TIFF z-stacks or images)", style = "directory") inputDir
#@ File (label = "Output folder (existing files are never overwritten)", style = "directory") outputDir
#@ String (label = "PSF", choices = {"Born & Wolf (generated)", "Gaussian (generated)"}) psfModel
#@ Double (label = "Numerical aperture", value = 1.4) na
#@ Double (label = "Emission wavelength (nm)", value = 520) wavelength
#@ Double (label = "Refractive index (immersion)", value = 1.518) refractiveIndex
#@ String (label = "Method", choices = {"PnP-ADMM", "PnP-PGD", "PnP-DRS", "PnP-HQS", "RED", "TV (PDHG)", "Richardson-Lucy"}) method
#@ Integer (label = "Iterations", value = 50) iterations
#@ String (label = "Model (bundled name, or empty to use the file)", value = "") model
#@ File (label = "Model file (.lpnp.zip)", required = false) modelFile

// Batch deconvolution with Lipschitz PnP: every TIFF of a folder, the same settings, the PSF
// generated from the optics and each image's calibration (pixel size and z-step in microns).
// Same numbers as Plugins > Lipschitz PnP > Deconvolve and `lpnp deconvolve`.

import io.github.lipschitzpnp.fiji.BatchDeconvolution
import io.github.lipschitzpnp.fiji.Jobs
import io.github.lipschitzpnp.fiji.Models
import io.github.lipschitzpnp.physics.Boundary
import io.github.lipschitzpnp.pipeline.Optics
import io.github.lipschitzpnp.solve.Method

def optics = new Optics(psfModel.startsWith("Gaussian") ? Optics.Model.GAUSSIAN : Optics.Model.BORN_WOLF,
        na, wavelength, refractiveIndex)
def solve = new Jobs.Solve(Method.parse(method), iterations, 1e-5, 0.01,
        model?.trim() ? model.trim() : Models.FROM_FILE, modelFile, "auto")
def items = BatchDeconvolution.run(inputDir.toPath(), outputDir.toPath(), null, optics, Boundary.REFLECTIVE, solve)
items.each { println "${it.input().fileName}: ${it.status()}" + (it.output() ? " -> ${it.output()}" : "") }
