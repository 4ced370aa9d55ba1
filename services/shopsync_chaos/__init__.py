"""The chaos suite: real ``shopsync`` processes against the simulator, faults, SIGKILLs,
unreliable events, concurrent runs and many stores, each scenario judged against the
simulator's ground truth (nothing lost, nothing duplicated, no cursor ahead of its data, no
secret anywhere). ``make chaos`` runs it all; ``make test`` runs ``--quick``."""
