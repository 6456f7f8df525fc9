"""The deep-learning iteration cycle, one stage at a time, on one mini-batch.

Lecture 12, slides "Deep Learning Iteration Cycle", "Backpropagation" and
"Loss functions". What it computes, prints and draws is the section
``nda_models.lecture.sections.iteration_cycle`` (``--help`` shows it), the
same calls as ``notebooks/07_iteration_cycle.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import iteration_cycle as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    model, x, y = section.model_and_batch()
    trace = section.forward_pass(model, x, y)
    section.loss(trace, y)
    section.backward_pass(trace, y)
    step = section.update(model, trace, x, y)
    figure = section.cycle_figure(trace, step)
    save_figure(figure, folder, "iteration_cycle.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
