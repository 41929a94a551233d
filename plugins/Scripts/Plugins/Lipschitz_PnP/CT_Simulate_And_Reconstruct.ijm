// Lipschitz PnP, ImageJ macro example: sparse-view CT. Simulates a 60-angle sinogram of the
// active square image (with noise), then reconstructs it with FBP and with TV, and reports PSNR
// and SSIM of the TV result against the original in a results table. Replace the TV line's
// method with a PnP method and a model file to compare with the certified denoiser.
// For your own sinograms (x = detector, y = angle) skip the first step; give angles_file=... when
// the angles are not evenly spaced over 180 degrees.

original = getTitle();
run("Simulate Acquisition (Lipschitz PnP)", "acquisition=Sinogram angles=60 noise=Gaussian level=0.01 seed=1");
sinogram = getTitle();
run("Reconstruct CT (Lipschitz PnP)", "method=FBP");
selectImage(sinogram);
run("Reconstruct CT (Lipschitz PnP)", "method=[TV (PDHG)] iterations=100 lambda=0.001 plot reference=[" + original + "]");
