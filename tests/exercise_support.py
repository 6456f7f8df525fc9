"""Shared by the mistake tests: a wrong answer is refused with its own hint."""

from nda_models.exercises import get_exercise

SEEDS = range(10)


def check_mistake(name, mistake, wrong, words, seeds=SEEDS):
    """``wrong(params)`` is refused, diagnosed as ``mistake``, hinted with ``words``.

    ``wrong`` returns None for a seed where the mistake gives the right
    answer; the mistake must apply on at least two seeds.
    """
    applied = 0
    for seed in seeds:
        ex = get_exercise(name, seed=seed)
        answer = wrong(ex.params)
        if answer is None:
            continue
        applied += 1
        feedback = ex.check(answer)
        assert not feedback.correct, (seed, answer)
        assert mistake in feedback.mistakes, (seed, str(feedback))
        assert words in feedback.message, (seed, str(feedback))
    assert applied >= 2, f"{mistake} applied to {applied} of the seeds only"
