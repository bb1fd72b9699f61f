using CclAgent.Diagnosis.Classification;
using CclAgent.Diagnosis.Reports;

namespace CclAgent.Diagnosis.Tests;

/// <summary>
/// A framework that stops the run because the loss diverged ("Loss is diverging!", "Model diverged with loss = NaN")
/// has named the cause: a learning rate too high for the model and batch, fixed by lowering it. Not a code bug because
/// the words come inside an exception, and not a bare NaN because the message carries "NaN".
/// </summary>
public sealed class DivergenceTests
{
    [Fact]
    public void Retinanets_loss_is_diverging_is_a_learning_rate_too_high_not_a_code_bug()
    {
        // https://github.com/NVIDIA/retinanet-examples/issues/81 (the issue title, as raised by retinanet's train.py).
        DiagnosisReport report = Given.Diagnose("RuntimeError: Loss is diverging! Try lowering the learning rate.");

        report.Verdict.Category.Should().Be(FailureCategory.LrTooHigh);
        report.Evidence[0].Signal.Should().Be("loss_diverged");
        report.Verdict.RootCause.Should().Contain("Loss is diverging");
        report.Recommendations[0].Action.Should().Contain("learning rate");
    }

    [Fact]
    public void Tensorflows_nan_tensor_hook_is_a_divergence_and_its_error_class_is_not_a_second_cause()
    {
        // https://github.com/JiDong-CS/icme2019-bytedance-grand-challenge/issues/14: TF 1.x estimator with the NanTensorHook.
        const string log = """
            INFO:tensorflow:Saving checkpoints for 0 into finish/model.ckpt.
            ERROR:tensorflow:Model diverged with loss = NaN.
            E0410 22:34:13.729731 4483055104 basic_session_run_hooks.py:760] Model diverged with loss = NaN.
            tensorflow.python.training.basic_session_run_hooks.NanLossDuringTrainingError: NaN loss during training.
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.LrTooHigh);
        report.Verdict.RootCause.Should().Contain("loss = NaN");
        report.Candidates.Should().NotContain(c => c.Category == FailureCategory.CodeBug);
    }

    [Fact]
    public void An_assertion_that_the_model_diverged_inside_a_traceback_is_a_divergence()
    {
        // https://github.com/melonwan/denseReg/issues/21: the training loop asserts the loss is not NaN.
        const string log = """
            Traceback (most recent call last):
              File "model/hourglass_um_crop_tiny.py", line 932, in <module>
                run_train(dataset, val_dataset)
              File "model/hourglass_um_crop_tiny.py", line 889, in run_train
                train(model, restore_step)
              File "/home/denseReg/model/train_single_gpu.py", line 149, in train
                assert not np.isnan(loss_value), 'Model diverged with loss = NaN'
            AssertionError: Model diverged with loss = NaN
            """;

        DiagnosisReport report = Given.Diagnose(log);

        report.Verdict.Category.Should().Be(FailureCategory.LrTooHigh);
        report.Candidates.Select(c => c.Category).Should().Equal(FailureCategory.LrTooHigh, FailureCategory.NanOrInf);
    }

    [Fact]
    public void A_divergence_with_a_nan_loss_keeps_the_nan_as_a_weaker_second_candidate()
    {
        // https://github.com/WeiTang114/MVCNN-TensorFlow/issues/8 (the issue title): there the NaN came from labels 1–40
        // instead of 0–39, so the plain NaN reading stays in the ranking and lowers the confidence.
        DiagnosisReport report = Given.Diagnose("Model diverged with loss = NaN");

        report.Candidates.Select(c => c.Category).Should().Equal(FailureCategory.LrTooHigh, FailureCategory.NanOrInf);
        report.Verdict.Confidence.Should().BeLessThan(0.7);
    }

    [Fact]
    public void Branches_that_have_diverged_are_not_a_diverging_loss()
    {
        // git status, as CI logs print it before a run: "diverged" with no loss, model or training before it.
        DiagnosisReport report = Given.Diagnose("Your branch and 'origin/main' have diverged,");

        report.Verdict.Category.Should().Be(FailureCategory.Unknown);
    }
}
