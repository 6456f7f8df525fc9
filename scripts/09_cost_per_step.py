"""SGD is n times cheaper per step, measured: time per step against n.

Lecture 12, slide "SGD characteristics". What it computes, prints and draws
is the section ``nda_models.lecture.sections.cost_per_step`` (``--help``
shows it), the same calls as ``notebooks/09_cost_per_step.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import cost_per_step as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    sizes, rows = section.time_steps(scale=args.scale)
    figure = section.cost_figure(sizes, rows)
    save_figure(figure, folder, "cost_per_step.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
