"""Small vs large mini-batches at the same training loss: validation loss, sharpness.

Lecture 12, slides "Mini-batching" and "Hyperparameters choice". What it
computes, prints and draws is the section
``nda_models.lecture.sections.batch_size_and_minima`` (``--help`` shows it),
the same calls as ``notebooks/10_batch_size_and_minima.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import batch_size_and_minima as section


def main(argv=None):
    args = script_parser(__file__, section.__doc__).parse_args(argv)
    folder = output_folder(args.out)
    results, target = section.compare_batch_sizes(scale=args.scale)
    figure = section.sharpness_figure(results, target)
    save_figure(figure, folder, "sharpness.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
