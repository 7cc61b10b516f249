<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AgreementView</name>
    <message>
        <source>Submitted and reviewed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All (with work in progress)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exact F1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overlap F1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>items</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gwet&apos;s AC1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sets:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Entities: pairwise F1 over the documents both annotated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stance: overall and per target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{docs} document(s), {shared} annotated by two or more of: {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nobody</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not compute agreement: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No document annotated by both</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undefined: neither marked an entity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overall</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No item was judged by two or more annotators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Average pairwise F1 per label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no shared documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overlap</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AnnotationController</name>
    <message>
        <source>No suggestion in this document.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accepted: {label} {text} (suggested by {source})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Turned down: {label} {text}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select some text first, then press a label&apos;s key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(a label key relabels, Delete removes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing labelled here yet. If this document has no entities, submit it with Ctrl+Shift+Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted for review.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardCharts</name>
    <message>
        <source>Sets per annotator, by status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spans per label and annotator (handed in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels: approved (gold) of handed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stance per target (approved)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review decisions per day (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review decisions per week (UTC)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agreement per week of hand-in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No annotation sets yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No spans handed in yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No approved stance yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No approved stance yet ({n} handed in)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No review decisions yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No document handed in by two annotators yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agreement compares annotators&apos; work;
annotation is blind: you see your own</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reopened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>handed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved (% of gold)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sets ({n} documents in all)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>judgements</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entity F1, exact</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>entity F1, overlap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stance α (Krippendorff)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only the work of {name} (annotation is blind)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>and {n} more annotator(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the {shown} most judged of {total} targets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{total} in all: {approved} approved, {rejected} rejected, {reopened} reopened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} shared documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a fixed sample of {n} a week scored where more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the last {shown} of {total} weeks</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <source>annotator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spans handed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>spans approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tawsim — dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the figures again (F5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read the figures: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Annotation is blind: only the work of {name}. {documents} document(s); {sets} set(s); {decisions} review decision(s) on them. Read at {time} UTC.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{documents} document(s); {sets} set(s) by {annotators} annotator(s); {decisions} review decision(s); agreement over {weeks} week(s). Read at {time} UTC.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentListModel</name>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spans</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected — see comment</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DocumentListPanel</name>
    <message>
        <source>All documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected (with comment)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search (ignores hamza, tashkeel, tatweel)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than {n} found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} found</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Label the selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 … 9 (the label&apos;s key), or click the label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label exactly, without snapping to words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select text by keyboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift+arrows (Ctrl+Shift+arrows: by word)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relabel a span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>click it, then press a label key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete a span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>click it, then Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deselect the span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strip a leading clitic (و ف ب ل ك)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept / turn down the first suggestion (dashed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the stance towards the target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+1 … Ctrl+9 (its values, in order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo / redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit a document that has no entities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next / previous document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next unlabelled document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in / out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show invisible and bidi control characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Import / export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every change is saved the moment you make it; there is no Save button.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Selections snap to whole words and leave out proclitics (و ف ب ل ك) before the article; hold Alt with the label key, or turn snapping off in the View menu, to label exactly what you selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tawsim — keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LabelPalette</name>
    <message>
        <source>Labels:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Move start one character earlier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move start one character later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move end one character earlier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move end one character later</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted — waiting for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected — please fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Annotate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guidelines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch &amp;profile…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On a team database you act as your database login</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deselect span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(exact, no snapping)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stance: {value}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggest with a &amp;model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Accept suggestion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Turn suggestion down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strip leading clitic (و ف ب ل ك)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Submit for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submit with &amp;no entities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Next document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next &amp;unlabelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show &amp;invisible characters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Snap selections to words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dashboard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Review queue…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relabel as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label selection as</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete span</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No suggestions: {error}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A trained spaCy pipeline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggestions from {name} as well (dashed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{done} of {total} done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned by the reviewer: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  — fix and press Ctrl+Enter to resubmit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>select one and move its edge with Alt+arrows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a reviewer can send the set back to be fixed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} span(s) cut a character in two ({how}):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every document has your labels.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Who is annotating? — Tawsim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your name is stored with every label you make; reviewers see it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. Amal / أمل</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewQueueModel</name>
    <message>
        <source>single</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>minor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>major</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agreed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>boundary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>boundary+label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stance (agreed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>submitted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Annotators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disagreement</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewQueuePanel</name>
    <message>
        <source>Waiting for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved (gold)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>annotator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve where N agree</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve the filtered sets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approves, on every document listed, the filtered annotator&apos;s set (or the only set); one transaction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} approved document(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} document(s) waiting at this level so far</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} document(s) waiting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>Tawsim review — {name} ({role})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold span: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Agreement between annotators…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dashboard…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The queue was updated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tawsim — agreement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disagreements (select a row, accept a version)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave out (no gold span here)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit: select text, press a label key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decide per set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comment for the annotator (needed to reject)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve my gold version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accept {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopen (back to the queue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve as is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reject with comment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accept {name}&apos;s version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>leave out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select text first, then press a label key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — Ctrl+Z reopens it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reopened: the document is back in the queue — Ctrl+Z approves it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the queue first (annotator, label or level).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gold set approved — Ctrl+Z reopens it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved {n} set(s); each can be reopened (tawsim review reopen).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Skipped {n} document(s) with several candidates: filter by annotator.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchIndexer</name>
    <message>
        <source>Indexing for search: {left:,} document(s) not searchable yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search index not complete: {error}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings — Tawsim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System default ({language})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes when Tawsim is restarted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Light</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{family} (bundled)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document &amp;font</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> pt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Document text &amp;size</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StancePanel</name>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Holder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add selection as evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stance in this document</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove stance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{value} ({key})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TransferActions</name>
    <message>
        <source>Import documents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All supported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{added} document(s) added, {dup} already present.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels added to the project: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Imported — read what was not stored as given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Importing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export approved annotations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported {n} record(s) to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>annotation</name>
    <message>
        <source>This document is approved (the gold set); labels are locked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This document is submitted and waiting for review; labels are locked until a reviewer sends it back.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Password for {login}:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database was repaired:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>operations</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled: nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>undo</name>
    <message>
        <source>Redone: {step}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undone: {step}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
