"""Tiny models with hand-derived gradients, each checked against finite differences in the tests.

They import only the core math (:mod:`gnlib.norms`, :mod:`gnlib.gradcheck`,
:mod:`gnlib.functions`, :mod:`gnlib.adam`, ...) and each other; import a model
module by name, e.g. ``from gnlib.models import rnn``.

- :mod:`gnlib.models.rnn`         -- linear recurrence and single-unit RNN with exact BPTT (lesson 03)
- :mod:`gnlib.models.cliff`       -- that RNN's cliff: where the wall lies, where it starts, how high its gradient peaks
- :mod:`gnlib.models.vector_rnn`  -- a tanh RNN (hidden size H) with hand BPTT and ``||dE/dh_k||``, many models at once
- :mod:`gnlib.models.param_stack` -- its parameter names, list/dict forms and each stacked model's global gradient norm
- :mod:`gnlib.models.adding_problem` -- the adding problem; training RNNs with SGD, momentum or Adam, clipped or not (lesson 03b)
- :mod:`gnlib.models.update_rules` -- those SGD, momentum and Adam steps, and the response to one gradient spike
- :mod:`gnlib.models.mlp`         -- a small MLP with backprop and double backprop for input-gradient penalties
- :mod:`gnlib.models.penalty_check` -- that double backprop checked against finite differences (lesson 05)
- :mod:`gnlib.models.gan`         -- WGAN with weight clipping and WGAN-GP on 2-D toy data (lesson 06)
- :mod:`gnlib.models.gan_losses`  -- their losses and gradients (interpolates, the penalised critic loss), re-exported by gan
- :mod:`gnlib.models.dirac_gan`   -- Dirac-GAN: the smallest GAN, its vector field and eigenvalues (lesson 06)
- :mod:`gnlib.models.flat_minima` -- a 1-D loss with a sharp and a flat minimum, and its gradient penalty
- :mod:`gnlib.models.toy_data`    -- the 8-Gaussians, 25-Gaussians and Swiss-roll data sets
- :mod:`gnlib.models._numerics`   -- (private) an accurate sigmoid, overflow-free row norms, a float dtype check, the bounds on counts
"""
