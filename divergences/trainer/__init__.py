"""A small GAN trainer that confirms the theory of Goodfellow et al. (2014) empirically."""
