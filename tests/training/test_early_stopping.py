"""Early stopping: best score tracking, patience, state round trip."""

from __future__ import annotations

from kg_reasoner.training.early_stopping import EarlyStopping


def test_stops_after_patience_epochs_without_improvement() -> None:
    stopper = EarlyStopping(patience=2)
    flags = [stopper.step(s, e) for e, s in enumerate([0.5, 0.7, 0.6, 0.7], start=1)]
    assert flags == [True, True, False, False]
    assert stopper.should_stop and stopper.best_epoch == 2


def test_zero_patience_never_stops_and_state_round_trips() -> None:
    stopper = EarlyStopping(patience=0)
    for epoch in range(5):
        stopper.step(0.1, epoch)
    assert not stopper.should_stop
    copy = EarlyStopping(patience=0)
    copy.load_state_dict(stopper.state_dict())
    assert copy.state_dict() == stopper.state_dict()
