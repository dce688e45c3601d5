"""Statistics of replications: estimates with CIs over seeds (``replications``), designs
and paired differences under common random numbers (``comparison``), the warm-up check
and how many seeds are enough (``output_analysis``), ranking and selection
(``selection``)."""
