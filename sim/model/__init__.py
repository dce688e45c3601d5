"""The SimPy world: one module per concept, assembled and run by ``org.SupportOrg``."""
