"""The course's figures: one plot style and one module of static figures per topic.

Every function returns a :class:`matplotlib.figure.Figure` drawn in the
course style; a lesson shows it by ending a cell with it. Figures import the
core math and the models, never the widgets. When a static figure and an
explorable of :mod:`gnlib.widgets` show the same picture, the builders they
share (a ``*_figure`` function that draws the static parts, a ``draw_*``
function or a class that moves the artists in place) are public names here.
Import a module by name, e.g. ``from gnlib.figures import clipping``.

- :mod:`gnlib.figures.style`      -- the colour-blind-safe palette, ``new_figure``, ``contour_landscape``, ``grid_2d``
- :mod:`gnlib.figures.norms`      -- lesson 01: unit balls of p-norms, overflow of the textbook 2-norm
- :mod:`gnlib.figures.gradients`  -- lesson 02: gradient field and gradient-norm map of a 2-D landscape
- :mod:`gnlib.figures.clipping`   -- lesson 03: the RNN cliff, clipped against plain GD, norm against value clipping
- :mod:`gnlib.figures.norm_value` -- lesson 03: clip by norm against clip by value for one 2-D gradient (also the explorable's)
- :mod:`gnlib.figures.rnn_training` -- lesson 03b: a tanh RNN on the adding problem: losses, norms, clipping
- :mod:`gnlib.figures.ngd`        -- lesson 04: step-length rules, 1-D races, plateaus and saddles, schedules
- :mod:`gnlib.figures.landscapes` -- lesson 04: the two-panel bowl and Rosenbrock comparison (also the explorable's)
- :mod:`gnlib.figures.lipschitz`  -- lesson 05: a 1-D function inside the cone of its Lipschitz bound
- :mod:`gnlib.figures.penalty`    -- lessons 05-06: penalized losses, WGAN-GP critics and samples, Dirac-GAN
"""
