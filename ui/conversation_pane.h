// The conversation: the turns so far (questions, streamed answers rendered as
// Markdown, each with links to the pages it used), a question box (Ctrl+Enter
// asks) and Ask/Stop buttons (Esc stops). It shows a ConversationLog and
// reports what the user does; the main window runs the model.
//
// GUI thread only.
#pragma once

#include <QTimer>
#include <QWidget>

#include "conversation_log.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace leopard::ui {

class ConversationPane : public QWidget {
    Q_OBJECT
public:
    explicit ConversationPane(QWidget* parent = nullptr);

    // Shows `log` (re-rendered at most every 50 ms while answers stream).
    void showLog(const ConversationLog& log);
    void setBusy(bool busy);  // Ask disabled, Stop enabled
    bool isBusy() const { return busy_; }
    void setNote(const QString& text);  // one line under the question box (memory estimate …)
    QString note() const;

    QString question() const;
    void clearQuestion();
    void setQuestion(const QString& text);
    // The turn under the cursor / last clicked, or the last turn; -1 if none.
    int selectedTurn() const;
    QString renderedText() const;  // plain text of what is shown (tests)
    QTextBrowser* browser() const { return browser_; }

    // A link to `page` (1-based) of `file`, as answers show them.
    static QUrl pageLink(const QString& file, int page);

public Q_SLOTS:
    void ask();   // emits askRequested when there is a question
    void stop();  // emits stopRequested when busy

Q_SIGNALS:
    void askRequested(const QString& question);
    void stopRequested();
    void pageLinkActivated(const QString& file, int page);

private:
    void render();
    QString markdownFor(const ConversationLog& log) const;

    QTextBrowser* browser_;
    QPlainTextEdit* edit_;
    QPushButton* askButton_;
    QPushButton* stopButton_;
    QLabel* note_;
    QTimer renderTimer_;
    ConversationLog log_;
    bool busy_ = false;
    int clickedTurn_ = -1;
};

}  // namespace leopard::ui
