"""The stochastic gradient: unbiased, with a variance that falls like 1/M.

Lecture 12, slides "Incremental gradient methods", "SGD characteristics" and
"Mini-batching". What it computes, prints and draws is the section
``nda_models.lecture.sections.stochastic_gradient`` (``--help`` shows it),
the same calls as ``notebooks/02_stochastic_gradient.ipynb``.
"""

from nda_models.lecture import output_folder, save_figure, script_parser
from nda_models.lecture.sections import stochastic_gradient as section


def main(argv=None):
    parser = script_parser(__file__, section.__doc__, uses_tensorflow=False)
    args = parser.parse_args(argv)
    folder = output_folder(args.out)
    grads = section.gradients_at_zero()
    clouds = section.unbiasedness(grads, scale=args.scale)
    measured = section.variance_table(grads, scale=args.scale)
    figure = section.cloud_figure(clouds, grads)
    save_figure(figure, folder, "gradient_clouds.png", close=True)
    figure = section.variance_figure(grads, measured)
    save_figure(figure, folder, "variance_vs_batch_size.png", close=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
