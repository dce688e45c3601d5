"""The analysis layer, one subpackage per concept: ``statistics`` (replications, paired
comparisons, warm-up and selection), ``planning`` (a pilot's offered load, Erlang staffing,
shifts, optimisation), ``uncertainty`` (the registry of uncertain parameters, designs,
sensitivity, robustness), ``fitting`` (a centre's data to a scenario), ``reporting``
(findings in words, sections, one page) and ``plots``; beside them the exact queueing
``theory``, the ``reference`` profile and the ``metrics_registry`` every page and figure
names outcomes by. It calls the engine (``sim.run``) and never the application: no Hydra,
no files — figures and reports are returned to the caller to write."""
