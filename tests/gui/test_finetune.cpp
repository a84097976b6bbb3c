// The fine-tune dialog runs `leopard-train finetune` as a child process: the
// argument list comes from its fields, answers marked as good become the Q/A
// file, the JSON-lines metrics on stdout feed the loss plot and the progress
// bar, Cancel ends the process (killing it when it ignores SIGTERM), and
// closing the dialog kills a run still going. A stand-in script, named by
// $LEOPARD_TRAIN, records the arguments and process id it was started with.
#include <cerrno>

#include <QDoubleSpinBox>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QtTest>

#include <signal.h>
#include <sys/types.h>

#include "finetune_dialog.h"
#include "gui_test_support.h"
#include "loss_plot.h"

using namespace leopard;
using namespace leopard::ui;

namespace {
QString readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QPushButton* button(QWidget& parent, const QString& text) {
    for (QPushButton* b : parent.findChildren<QPushButton*>())
        if (b->text() == text) return b;
    return nullptr;
}

bool processExists(qint64 pid) { return ::kill(pid_t(pid), 0) == 0 || errno != ESRCH; }
}  // namespace

class TestFinetune : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString args_, pid_, docs_, qa_, out_;

    // A stand-in for leopard-train: records its arguments (one per line) and
    // pid, prints two metrics lines, then waits; with `ignoreTerm` it
    // ignores SIGTERM, so only a kill ends it.
    void writeTrainer(bool ignoreTerm) {
        const QString script = dir_.filePath("leopard-train");
        QFile f(script);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        // The trap comes first: a SIGTERM sent as soon as output appears must find it set.
        f.write(QString("#!/bin/sh\n"
                        "%1"
                        "printf '%s\\n' \"$@\" > '%2'\n"
                        "echo $$ > '%3'\n"
                        "echo 'loading the base model'\n"
                        "echo '{\"step\": 1, \"loss\": 2.5, \"progress\": 0.25}'\n"
                        "echo '{\"step\": 2, \"loss\": 2.0, \"progress\": 0.5}'\n"
                        "exec sleep 60\n")
                    .arg(ignoreTerm ? QString("trap '' TERM\n") : QString(), args_, pid_)
                    .toUtf8());
        f.close();
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        QFile::remove(args_);
        QFile::remove(pid_);
        qputenv("LEOPARD_TRAIN", script.toUtf8());
    }

    // Fills the fields with values apart from the defaults.
    void fill(FinetuneDialog& d) {
        d.findChild<QLineEdit*>("model")->setText(dir_.filePath("base-model"));
        d.findChild<QLineEdit*>("docs")->setText(docs_);
        d.findChild<QLineEdit*>("out")->setText(out_);
        d.findChild<QSpinBox*>("rank")->setValue(4);
        d.findChild<QDoubleSpinBox*>("alpha")->setValue(8);
        d.findChild<QDoubleSpinBox*>("dropout")->setValue(0.1);
        d.findChild<QSpinBox*>("epochs")->setValue(2);
        d.findChild<QDoubleSpinBox*>("lr")->setValue(0.0005);
    }

    QStringList expectedArguments(const QString& qa) const {
        return {"finetune", "--model", dir_.filePath("base-model"), "--data", qa, "--docs", docs_,
                "--out", out_ + "/adapter", "--merged-out", out_, "--rank", "4", "--alpha", "8", "--dropout", "0.1", "--epochs", "2", "--lr", "0.0005",
                "--metrics-jsonl"};
    }

    QStringList recordedArguments() const {
        QStringList lines = readAll(args_).split('\n');
        if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
        return lines;
    }

private Q_SLOTS:
    void initTestCase() {
        test::isolateUserFiles();
        args_ = dir_.filePath("args.txt");
        pid_ = dir_.filePath("pid.txt");
        docs_ = dir_.filePath("docs");
        out_ = dir_.filePath("out");
        QVERIFY(QDir().mkpath(docs_));
        qa_ = dir_.filePath("qa.jsonl");
        QFile f(qa_);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"files": ["a.png"], "question": "Q?", "answer": "A"})" "\n");
    }

    void argumentsComeFromTheFieldsAndCancelKills() {
        writeTrainer(/*ignoreTerm=*/true);
        FinetuneDialog d(QString(), {});
        d.show();
        fill(d);
        d.findChild<QLineEdit*>("qaFile")->setText(qa_);
        QCOMPARE(d.arguments(qa_), expectedArguments(qa_));

        QSignalSpy finished(&d, &FinetuneDialog::finishedTraining);
        QPushButton* start = button(d, FinetuneDialog::tr("Start"));
        QVERIFY(start && start->isEnabled());
        QTest::mouseClick(start, Qt::LeftButton);
        QVERIFY(d.isRunning());
        QTRY_COMPARE(recordedArguments(), expectedArguments(qa_));

        // Metrics lines drive the plot and the progress bar; other lines go to the log.
        QTRY_COMPARE(d.lossPlot()->points().size(), 2);
        QCOMPARE(d.lossPlot()->points().at(0), QPointF(1, 2.5));
        QCOMPARE(d.lossPlot()->points().at(1), QPointF(2, 2.0));
        auto* progress = d.findChild<QProgressBar*>("progress");
        QCOMPARE(progress->value(), progress->maximum() / 2);

        QTRY_VERIFY(!readAll(pid_).trimmed().isEmpty());
        const qint64 pid = readAll(pid_).trimmed().toLongLong();
        QVERIFY(processExists(pid));
        QPushButton* cancel = button(d, FinetuneDialog::tr("Cancel training"));
        QVERIFY(cancel && cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        // SIGTERM is ignored by this trainer: it is still running a moment later…
        QTest::qWait(1000);
        QVERIFY(d.isRunning());
        // …until the dialog kills it.
        QTRY_VERIFY_WITH_TIMEOUT(!d.isRunning(), 15000);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QVERIFY(!processExists(pid));
        QCOMPARE(d.findChild<QLabel*>("status")->text(), FinetuneDialog::tr("Training stopped."));
        QVERIFY(start->isEnabled());
        QVERIFY(!cancel->isEnabled());
    }

    void cancelEndsATrainerThatStopsOnSigterm() {
        writeTrainer(/*ignoreTerm=*/false);
        FinetuneDialog d(QString(), {});
        fill(d);
        d.findChild<QLineEdit*>("qaFile")->setText(qa_);
        d.start();
        QTRY_VERIFY(!readAll(pid_).trimmed().isEmpty());
        const qint64 pid = readAll(pid_).trimmed().toLongLong();
        QElapsedTimer clock;
        clock.start();
        d.cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!d.isRunning(), 4000);  // before the 5 s kill fallback
        QVERIFY2(clock.elapsed() < 4000, "SIGTERM should have ended it");
        QVERIFY(!processExists(pid));
    }

    void markedAnswersBecomeTheQaFile() {
        writeTrainer(/*ignoreTerm=*/true);
        ChatTurn good, other;
        good.question = "What was the revenue in 2024?";
        good.answer = "15 M";
        good.pages = {{"/data/report.pdf", 2, 1, 5, 100, 100}, {"/data/report.pdf", 3, 2, 5, 100, 100},
                      {"/data/chart.png", 1, 3, 1, 100, 100}};
        other.question = "Something else?";
        other.answer = "No.";
        FinetuneDialog d(QString(), {other, good});
        fill(d);
        auto* marked = d.findChild<QListWidget*>("marked");
        QCOMPARE(marked->count(), 2);
        marked->item(1)->setCheckState(Qt::Checked);
        d.start();
        const QString qa = QDir(out_).filePath("marked-answers.jsonl");
        QTRY_COMPARE(recordedArguments(), expectedArguments(qa));
        const QStringList lines = readAll(qa).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 1);
        const QJsonObject o = QJsonDocument::fromJson(lines[0].toUtf8()).object();
        QCOMPARE(o["question"].toString(), QString("What was the revenue in 2024?"));
        QCOMPARE(o["answer"].toString(), QString("15 M"));
        QCOMPARE(o["files"].toArray(), QJsonArray({"/data/report.pdf", "/data/chart.png"}));
        QCOMPARE(o["pages"].toArray(), QJsonArray({QJsonArray({2, 3}), QJsonArray({1})}));
    }

    void closingTheDialogKillsARunningTrainer() {
        writeTrainer(/*ignoreTerm=*/true);
        qint64 pid = 0;
        {
            FinetuneDialog d(QString(), {});
            fill(d);
            d.findChild<QLineEdit*>("qaFile")->setText(qa_);
            d.start();
            QTRY_VERIFY(!readAll(pid_).trimmed().isEmpty());
            pid = readAll(pid_).trimmed().toLongLong();
            QVERIFY(processExists(pid));
        }
        QVERIFY(!processExists(pid));
    }

    void withoutATrainerStartIsDisabled() {
        qputenv("LEOPARD_TRAIN", dir_.filePath("no-such-trainer").toUtf8());
        FinetuneDialog d(QString(), {});
        QVERIFY(FinetuneDialog::trainerPath().isEmpty());
        QVERIFY(!button(d, FinetuneDialog::tr("Start"))->isEnabled());
        QVERIFY(d.findChild<QLabel*>("status")->text().contains("leopard-train is not installed"));
    }
};

QTEST_MAIN(TestFinetune)
#include "test_finetune.moc"
