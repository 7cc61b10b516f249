<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ar" sourcelanguage="en">
<context>
    <name>AgreementView</name>
    <message>
        <source>Submitted and reviewed</source>
        <translation>المُرسَلة والمُراجَعة</translation>
    </message>
    <message>
        <source>All (with work in progress)</source>
        <translation>الكل (مع العمل الجاري)</translation>
    </message>
    <message>
        <source>no overlap</source>
        <translation>لا تداخل</translation>
    </message>
    <message>
        <source>A</source>
        <translation>أ</translation>
    </message>
    <message>
        <source>B</source>
        <translation>ب</translation>
    </message>
    <message>
        <source>documents</source>
        <translation>المستندات</translation>
    </message>
    <message>
        <source>exact F1</source>
        <translation>F1 بالتطابق التام</translation>
    </message>
    <message>
        <source>overlap F1</source>
        <translation>F1 بالتداخل</translation>
    </message>
    <message>
        <source>items</source>
        <translation>العناصر</translation>
    </message>
    <message>
        <source>% agreement</source>
        <translation>نسبة الاتفاق</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa</source>
        <translation>كابا كوهين</translation>
    </message>
    <message>
        <source>Krippendorff&apos;s alpha</source>
        <translation>ألفا كريبندورف</translation>
    </message>
    <message>
        <source>Gwet&apos;s AC1</source>
        <translation>AC1 لغويت</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>تحديث</translation>
    </message>
    <message>
        <source>Sets:</source>
        <translation>المجموعات:</translation>
    </message>
    <message>
        <source>Entities: pairwise F1 over the documents both annotated</source>
        <translation>الكيانات: F1 لكل زوج من الموسِّمين على المستندات التي وسمها كلاهما</translation>
    </message>
    <message>
        <source>Stance: overall and per target</source>
        <translation>الموقف: إجمالًا ولكل هدف</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>جارٍ الحساب…</translation>
    </message>
    <message>
        <source>{docs} document(s), {shared} annotated by two or more of: {who}</source>
        <translation>المستندات: {docs}، منها {shared} وسمها اثنان أو أكثر من: {who}</translation>
    </message>
    <message>
        <source>nobody</source>
        <translation>لا أحد</translation>
    </message>
    <message>
        <source>Could not compute agreement: </source>
        <translation>تعذّر حساب الاتفاق: </translation>
    </message>
    <message>
        <source>No document annotated by both</source>
        <translation>لا مستند وسمه كلاهما</translation>
    </message>
    <message>
        <source>Undefined: neither marked an entity</source>
        <translation>غير معرَّف: لم يحدِّد أيٌّ منهما كيانًا</translation>
    </message>
    <message>
        <source>overall</source>
        <translation>الإجمالي</translation>
    </message>
    <message>
        <source>No item was judged by two or more annotators</source>
        <translation>لم يحكم على أي عنصر اثنان أو أكثر من الموسِّمين</translation>
    </message>
    <message>
        <source>Average pairwise F1 per label</source>
        <translation>متوسط F1 بين كل زوج لكل تسمية</translation>
    </message>
    <message>
        <source>no shared documents</source>
        <translation>لا مستندات مشتركة</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>تطابق تام</translation>
    </message>
    <message>
        <source>overlap</source>
        <translation>تداخل</translation>
    </message>
</context>
<context>
    <name>AnnotationController</name>
    <message>
        <source>No suggestion in this document.</source>
        <translation>لا اقتراحات في هذا المستند.</translation>
    </message>
    <message>
        <source>Accepted: {label} {text} (suggested by {source})</source>
        <translation>قُبل: {label} {text} (اقترحه {source})</translation>
    </message>
    <message>
        <source>Turned down: {label} {text}</source>
        <translation>رُفض: {label} {text}</translation>
    </message>
    <message>
        <source>Select some text first, then press a label&apos;s key.</source>
        <translation>حدِّد نصًا أولًا، ثم اضغط مفتاح التسمية.</translation>
    </message>
    <message>
        <source>(a label key relabels, Delete removes)</source>
        <translation>(مفتاح التسمية يغيّر التسمية، وDelete يحذف المقطع)</translation>
    </message>
    <message>
        <source>Nothing labelled here yet. If this document has no entities, submit it with Ctrl+Shift+Enter.</source>
        <translation>لم يُوسَم شيء هنا بعد. إن لم يكن في هذا المستند كيانات فأرسله بـ Ctrl+Shift+Enter.</translation>
    </message>
    <message>
        <source>Submitted for review.</source>
        <translation>أُرسل للمراجعة.</translation>
    </message>
</context>
<context>
    <name>DashboardCharts</name>
    <message>
        <source>Sets per annotator, by status</source>
        <translation>المجموعات لكل موسِّم، حسب الحالة</translation>
    </message>
    <message>
        <source>Spans per label and annotator (handed in)</source>
        <translation>المقاطع لكل تسمية وموسِّم (المُسلَّمة)</translation>
    </message>
    <message>
        <source>Labels: approved (gold) of handed in</source>
        <translation>التسميات: المعتمد (الذهبي) من المُسلَّم</translation>
    </message>
    <message>
        <source>Stance per target (approved)</source>
        <translation>الموقف لكل هدف (المعتمد)</translation>
    </message>
    <message>
        <source>Review decisions per day (UTC)</source>
        <translation>قرارات المراجعة في اليوم (UTC)</translation>
    </message>
    <message>
        <source>Review decisions per week (UTC)</source>
        <translation>قرارات المراجعة في الأسبوع (UTC)</translation>
    </message>
    <message>
        <source>Agreement per week of hand-in</source>
        <translation>الاتفاق حسب أسبوع التسليم</translation>
    </message>
    <message>
        <source>No annotation sets yet</source>
        <translation>لا مجموعات وسوم بعد</translation>
    </message>
    <message>
        <source>No spans handed in yet</source>
        <translation>لم يُسلَّم أي مقطع بعد</translation>
    </message>
    <message>
        <source>No approved stance yet</source>
        <translation>لا موقف معتمد بعد</translation>
    </message>
    <message>
        <source>No approved stance yet ({n} handed in)</source>
        <translation>لا موقف معتمد بعد (المُسلَّم: {n})</translation>
    </message>
    <message>
        <source>No review decisions yet</source>
        <translation>لا قرارات مراجعة بعد</translation>
    </message>
    <message>
        <source>No document handed in by two annotators yet</source>
        <translation>لم يسلّم موسِّمان المستند نفسه بعد</translation>
    </message>
    <message>
        <source>Agreement compares annotators&apos; work;
annotation is blind: you see your own</source>
        <translation>يقارن الاتفاق بين أعمال الموسِّمين؛
والوسم مُعمًّى: لا ترى إلا عملك</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <source>submitted</source>
        <translation>مُرسَلة</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>معتمدة</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>مرفوضة</translation>
    </message>
    <message>
        <source>reopened</source>
        <translation>أُعيد فتحها</translation>
    </message>
    <message>
        <source>handed in</source>
        <translation>مُسلَّمة</translation>
    </message>
    <message>
        <source>approved (% of gold)</source>
        <translation>معتمدة (% من الذهبية)</translation>
    </message>
    <message>
        <source>sets ({n} documents in all)</source>
        <translation>المجموعات (عدد المستندات: {n})</translation>
    </message>
    <message>
        <source>spans</source>
        <translation>المقاطع</translation>
    </message>
    <message>
        <source>judgements</source>
        <translation>الأحكام</translation>
    </message>
    <message>
        <source>decisions</source>
        <translation>القرارات</translation>
    </message>
    <message>
        <source>entity F1, exact</source>
        <translation>F1 الكيانات، تطابق تام</translation>
    </message>
    <message>
        <source>entity F1, overlap</source>
        <translation>F1 الكيانات، تداخل</translation>
    </message>
    <message>
        <source>stance α (Krippendorff)</source>
        <translation>ألفا كريبندورف للموقف</translation>
    </message>
    <message>
        <source>only the work of {name} (annotation is blind)</source>
        <translation>عمل {name} وحده (الوسم مُعمًّى)</translation>
    </message>
    <message>
        <source>and {n} more annotator(s)</source>
        <translation>وموسِّمون آخرون: {n}</translation>
    </message>
    <message>
        <source>the {shown} most judged of {total} targets</source>
        <translation>الأهداف الأكثر أحكامًا: {shown} من {total}</translation>
    </message>
    <message>
        <source>{total} in all: {approved} approved, {rejected} rejected, {reopened} reopened</source>
        <translation>المجموع {total}: اعتُمد {approved}، ورُفض {rejected}، وأُعيد فتح {reopened}</translation>
    </message>
    <message>
        <source>{n} shared documents</source>
        <translation>المستندات المشتركة: {n}</translation>
    </message>
    <message>
        <source>a fixed sample of {n} a week scored where more</source>
        <translation>عيّنة ثابتة من {n} مستندًا في الأسبوع حيث يزيد العدد</translation>
    </message>
    <message>
        <source>the last {shown} of {total} weeks</source>
        <translation>الأسابيع الأخيرة: {shown} من {total}</translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <source>annotator</source>
        <translation>الموسِّم</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <source>submitted</source>
        <translation>مُرسَلة</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>معتمدة</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>مرفوضة</translation>
    </message>
    <message>
        <source>spans handed in</source>
        <translation>المقاطع المُسلَّمة</translation>
    </message>
    <message>
        <source>spans approved</source>
        <translation>المقاطع المعتمدة</translation>
    </message>
    <message>
        <source>Tawsim — dashboard</source>
        <translation>توسيم — لوحة المتابعة</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>جارٍ الحساب…</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;تحديث</translation>
    </message>
    <message>
        <source>Read the figures again (F5)</source>
        <translation>قراءة الأرقام من جديد (F5)</translation>
    </message>
    <message>
        <source>Could not read the figures: </source>
        <translation>تعذّرت قراءة الأرقام: </translation>
    </message>
    <message>
        <source>Annotation is blind: only the work of {name}. {documents} document(s); {sets} set(s); {decisions} review decision(s) on them. Read at {time} UTC.</source>
        <translation>الوسم مُعمًّى: عمل {name} وحده. المستندات: {documents}؛ المجموعات: {sets}؛ قرارات المراجعة عليها: {decisions}. قُرئت الساعة {time} UTC.</translation>
    </message>
    <message>
        <source>{documents} document(s); {sets} set(s) by {annotators} annotator(s); {decisions} review decision(s); agreement over {weeks} week(s). Read at {time} UTC.</source>
        <translation>المستندات: {documents}؛ المجموعات: {sets} (الموسِّمون: {annotators})؛ قرارات المراجعة: {decisions}؛ أسابيع الاتفاق: {weeks}. قُرئت الساعة {time} UTC.</translation>
    </message>
</context>
<context>
    <name>DocumentListModel</name>
    <message>
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>المصدر</translation>
    </message>
    <message>
        <source>My status</source>
        <translation>حالتي</translation>
    </message>
    <message>
        <source>Spans</source>
        <translation>المقاطع</translation>
    </message>
    <message>
        <source>Unlabelled</source>
        <translation>غير موسوم</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>مُرسَل</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>معتمد</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>مرفوض</translation>
    </message>
    <message>
        <source>Rejected — see comment</source>
        <translation>مرفوض — انظر التعليق</translation>
    </message>
</context>
<context>
    <name>DocumentListPanel</name>
    <message>
        <source>All documents</source>
        <translation>كل المستندات</translation>
    </message>
    <message>
        <source>Unlabelled</source>
        <translation>غير الموسومة</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <source>Submitted</source>
        <translation>المُرسَلة</translation>
    </message>
    <message>
        <source>Rejected (with comment)</source>
        <translation>المرفوضة (مع تعليق)</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>المعتمدة</translation>
    </message>
    <message>
        <source>Search (ignores hamza, tashkeel, tatweel)…</source>
        <translation>بحث (يتجاهل الهمزة والتشكيل والتطويل)…</translation>
    </message>
    <message>
        <source>more than {n} found</source>
        <translation>النتائج: أكثر من {n}</translation>
    </message>
    <message>
        <source>{n} found</source>
        <translation>النتائج: {n}</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Label the selection</source>
        <translation>وسم التحديد</translation>
    </message>
    <message>
        <source>1 … 9 (the label&apos;s key), or click the label</source>
        <translation>1 … 9 (مفتاح التسمية)، أو النقر على التسمية</translation>
    </message>
    <message>
        <source>Label exactly, without snapping to words</source>
        <translation>الوسم بدقة، دون الضبط على حدود الكلمات</translation>
    </message>
    <message>
        <source>Select text by keyboard</source>
        <translation>تحديد النص بلوحة المفاتيح</translation>
    </message>
    <message>
        <source>Shift+arrows (Ctrl+Shift+arrows: by word)</source>
        <translation>Shift مع الأسهم، وCtrl+Shift مع الأسهم كلمةً كلمة</translation>
    </message>
    <message>
        <source>Relabel a span</source>
        <translation>تغيير تسمية مقطع</translation>
    </message>
    <message>
        <source>click it, then press a label key</source>
        <translation>النقر عليه، ثم مفتاح التسمية</translation>
    </message>
    <message>
        <source>Delete a span</source>
        <translation>حذف مقطع</translation>
    </message>
    <message>
        <source>click it, then Delete</source>
        <translation>النقر عليه، ثم Delete</translation>
    </message>
    <message>
        <source>Deselect the span</source>
        <translation>إلغاء تحديد المقطع</translation>
    </message>
    <message>
        <source>Strip a leading clitic (و ف ب ل ك)</source>
        <translation>حذف سابقة متصلة من أول المقطع (و ف ب ل ك)</translation>
    </message>
    <message>
        <source>Accept / turn down the first suggestion (dashed)</source>
        <translation>قبول أول اقتراح (المتقطّع) أو رفضه</translation>
    </message>
    <message>
        <source>Set the stance towards the target</source>
        <translation>تحديد الموقف من الهدف</translation>
    </message>
    <message>
        <source>Ctrl+1 … Ctrl+9 (its values, in order)</source>
        <translation>Ctrl+1 … Ctrl+9 (قيمه بالترتيب)</translation>
    </message>
    <message>
        <source>Undo / redo</source>
        <translation>تراجع / إعادة</translation>
    </message>
    <message>
        <source>Submit for review</source>
        <translation>إرسال للمراجعة</translation>
    </message>
    <message>
        <source>Submit a document that has no entities</source>
        <translation>إرسال مستند لا كيانات فيه</translation>
    </message>
    <message>
        <source>Next / previous document</source>
        <translation>المستند التالي / السابق</translation>
    </message>
    <message>
        <source>Next unlabelled document</source>
        <translation>المستند التالي غير الموسوم</translation>
    </message>
    <message>
        <source>Search documents</source>
        <translation>البحث في المستندات</translation>
    </message>
    <message>
        <source>Zoom in / out</source>
        <translation>تكبير / تصغير</translation>
    </message>
    <message>
        <source>Show invisible and bidi control characters</source>
        <translation>إظهار الأحرف غير المرئية ومحارف التحكم في الاتجاه</translation>
    </message>
    <message>
        <source>Import / export</source>
        <translation>استيراد / تصدير</translation>
    </message>
    <message>
        <source>This help</source>
        <translation>هذه المساعدة</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>اختصارات لوحة المفاتيح</translation>
    </message>
    <message>
        <source>Every change is saved the moment you make it; there is no Save button.</source>
        <translation>يُحفظ كل تغيير لحظة إجرائه؛ فلا حاجة إلى زر حفظ.</translation>
    </message>
    <message>
        <source>Selections snap to whole words and leave out proclitics (و ف ب ل ك) before the article; hold Alt with the label key, or turn snapping off in the View menu, to label exactly what you selected.</source>
        <translation>يُضبط التحديد على كلمات كاملة وتُستثنى منه السوابق المتصلة (و ف ب ل ك) التي تسبق أداة التعريف؛ ولوسم ما حدّدته بالضبط اضغط Alt مع مفتاح التسمية، أو أوقف الضبط من قائمة «عرض».</translation>
    </message>
    <message>
        <source>Tawsim — keyboard shortcuts</source>
        <translation>توسيم — اختصارات لوحة المفاتيح</translation>
    </message>
</context>
<context>
    <name>LabelPalette</name>
    <message>
        <source>Labels:</source>
        <translation>التسميات:</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Move start one character earlier</source>
        <translation>نقل البداية حرفًا واحدًا نحو أول النص</translation>
    </message>
    <message>
        <source>Move start one character later</source>
        <translation>نقل البداية حرفًا واحدًا نحو آخر النص</translation>
    </message>
    <message>
        <source>Move end one character earlier</source>
        <translation>نقل النهاية حرفًا واحدًا نحو أول النص</translation>
    </message>
    <message>
        <source>Move end one character later</source>
        <translation>نقل النهاية حرفًا واحدًا نحو آخر النص</translation>
    </message>
    <message>
        <source>Unlabelled</source>
        <translation>غير موسوم</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <source>Submitted — waiting for review</source>
        <translation>مُرسَل — بانتظار المراجعة</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>معتمد</translation>
    </message>
    <message>
        <source>Rejected — please fix</source>
        <translation>مرفوض — يُرجى التصحيح</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;ملف</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;تحرير</translation>
    </message>
    <message>
        <source>&amp;Annotate</source>
        <translation>تو&amp;سيم</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;انتقال</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;عرض</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>مساع&amp;دة</translation>
    </message>
    <message>
        <source>Documents</source>
        <translation>المستندات</translation>
    </message>
    <message>
        <source>Stance</source>
        <translation>الموقف</translation>
    </message>
    <message>
        <source>Guidelines</source>
        <translation>الإرشادات</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>لم يُنفَّذ</translation>
    </message>
    <message>
        <source>&amp;Import…</source>
        <translation>&amp;استيراد…</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;تصدير…</translation>
    </message>
    <message>
        <source>Switch &amp;profile…</source>
        <translation>تبديل المل&amp;ف الشخصي…</translation>
    </message>
    <message>
        <source>On a team database you act as your database login</source>
        <translation>في قاعدة بيانات الفريق تعمل باسم حساب دخولك إلى قاعدة البيانات</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>الإ&amp;عدادات…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>إ&amp;نهاء</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;تراجع</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>إ&amp;عادة</translation>
    </message>
    <message>
        <source>&amp;Delete span</source>
        <translation>&amp;حذف المقطع</translation>
    </message>
    <message>
        <source>Deselect span</source>
        <translation>إلغاء تحديد المقطع</translation>
    </message>
    <message>
        <source>&amp;Find</source>
        <translation>&amp;بحث</translation>
    </message>
    <message>
        <source>(exact, no snapping)</source>
        <translation>(بدقة، دون ضبط)</translation>
    </message>
    <message>
        <source>Stance: {value}</source>
        <translation>الموقف: {value}</translation>
    </message>
    <message>
        <source>Suggest with a &amp;model…</source>
        <translation>الاقتراح ب&amp;نموذج…</translation>
    </message>
    <message>
        <source>&amp;Accept suggestion</source>
        <translation>&amp;قبول الاقتراح</translation>
    </message>
    <message>
        <source>&amp;Turn suggestion down</source>
        <translation>ر&amp;فض الاقتراح</translation>
    </message>
    <message>
        <source>Strip leading clitic (و ف ب ل ك)</source>
        <translation>حذف السابقة المتصلة (و ف ب ل ك)</translation>
    </message>
    <message>
        <source>&amp;Submit for review</source>
        <translation>إ&amp;رسال للمراجعة</translation>
    </message>
    <message>
        <source>Submit with &amp;no entities</source>
        <translation>إرسال &amp;دون كيانات</translation>
    </message>
    <message>
        <source>&amp;Next document</source>
        <translation>المستند ال&amp;تالي</translation>
    </message>
    <message>
        <source>&amp;Previous document</source>
        <translation>المستند ال&amp;سابق</translation>
    </message>
    <message>
        <source>Next &amp;unlabelled</source>
        <translation>التالي &amp;غير الموسوم</translation>
    </message>
    <message>
        <source>Zoom &amp;in</source>
        <translation>&amp;تكبير</translation>
    </message>
    <message>
        <source>Zoom &amp;out</source>
        <translation>ت&amp;صغير</translation>
    </message>
    <message>
        <source>Show &amp;invisible characters</source>
        <translation>إظهار الأحرف &amp;غير المرئية</translation>
    </message>
    <message>
        <source>&amp;Snap selections to words</source>
        <translation>&amp;ضبط التحديد على حدود الكلمات</translation>
    </message>
    <message>
        <source>&amp;Dashboard…</source>
        <translation>&amp;لوحة المتابعة…</translation>
    </message>
    <message>
        <source>&amp;Review queue…</source>
        <translation>قائمة ال&amp;مراجعة…</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>ا&amp;ختصارات لوحة المفاتيح</translation>
    </message>
    <message>
        <source>Relabel as</source>
        <translation>تغيير التسمية إلى</translation>
    </message>
    <message>
        <source>Label selection as</source>
        <translation>وسم التحديد بـ</translation>
    </message>
    <message>
        <source>Delete span</source>
        <translation>حذف المقطع</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>نسخ</translation>
    </message>
    <message>
        <source>No suggestions: {error}</source>
        <translation>لا اقتراحات: {error}</translation>
    </message>
    <message>
        <source>A trained spaCy pipeline</source>
        <translation>خط معالجة spaCy مدرَّب</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>جارٍ تحميل النموذج…</translation>
    </message>
    <message>
        <source>Suggestions from {name} as well (dashed)</source>
        <translation>واقتراحات {name} أيضًا (بخط متقطّع)</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>لا نموذج</translation>
    </message>
    <message>
        <source>{done} of {total} done</source>
        <translation>أُنجز {done} من {total}</translation>
    </message>
    <message>
        <source>Returned by the reviewer: </source>
        <translation>أعاده المراجِع: </translation>
    </message>
    <message>
        <source>  — fix and press Ctrl+Enter to resubmit.</source>
        <translation>  — صحّحه واضغط Ctrl+Enter لإعادة إرساله.</translation>
    </message>
    <message>
        <source>select one and move its edge with Alt+arrows</source>
        <translation>حدِّد أحدها وحرِّك طرفه بـ Alt+الأسهم</translation>
    </message>
    <message>
        <source>a reviewer can send the set back to be fixed</source>
        <translation>يستطيع المراجِع إعادة المجموعة لتصحيحها</translation>
    </message>
    <message>
        <source>{n} span(s) cut a character in two ({how}):</source>
        <translation>مقاطع تشطر حرفًا إلى نصفين: {n} ({how}):</translation>
    </message>
    <message>
        <source>Every document has your labels.</source>
        <translation>وسومك في كل المستندات.</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Who is annotating? — Tawsim</source>
        <translation>من يوسِّم؟ — توسيم</translation>
    </message>
    <message>
        <source>Your name is stored with every label you make; reviewers see it.</source>
        <translation>يُحفظ اسمك مع كل وسم تضعه، ويراه المراجِعون.</translation>
    </message>
    <message>
        <source>e.g. Amal / أمل</source>
        <translation>مثلًا: أمل / Amal</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>الاسم</translation>
    </message>
    <message>
        <source>Annotator</source>
        <translation>مُوسِّم</translation>
    </message>
    <message>
        <source>Reviewer</source>
        <translation>مُراجِع</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>الدور</translation>
    </message>
</context>
<context>
    <name>ReviewQueueModel</name>
    <message>
        <source>single</source>
        <translation>موسِّم واحد</translation>
    </message>
    <message>
        <source>none</source>
        <translation>لا اختلاف</translation>
    </message>
    <message>
        <source>minor</source>
        <translation>طفيف</translation>
    </message>
    <message>
        <source>major</source>
        <translation>كبير</translation>
    </message>
    <message>
        <source>agreed</source>
        <translation>متفق عليه</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>غائب</translation>
    </message>
    <message>
        <source>boundary</source>
        <translation>الحدود</translation>
    </message>
    <message>
        <source>label</source>
        <translation>التسمية</translation>
    </message>
    <message>
        <source>boundary+label</source>
        <translation>الحدود والتسمية</translation>
    </message>
    <message>
        <source>stance</source>
        <translation>الموقف</translation>
    </message>
    <message>
        <source>stance (agreed)</source>
        <translation>الموقف (متفق عليه)</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>قيد العمل</translation>
    </message>
    <message>
        <source>submitted</source>
        <translation>مُرسَلة</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>معتمدة</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>مرفوضة</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>العنوان</translation>
    </message>
    <message>
        <source>Annotators</source>
        <translation>الموسِّمون</translation>
    </message>
    <message>
        <source>Disagreement</source>
        <translation>الاختلاف</translation>
    </message>
</context>
<context>
    <name>ReviewQueuePanel</name>
    <message>
        <source>Waiting for review</source>
        <translation>بانتظار المراجعة</translation>
    </message>
    <message>
        <source>Approved (gold)</source>
        <translation>المعتمدة (الذهبية)</translation>
    </message>
    <message>
        <source>annotator</source>
        <translation>الموسِّم</translation>
    </message>
    <message>
        <source>Approve where N agree</source>
        <translation>اعتماد ما اتفق عليه N</translation>
    </message>
    <message>
        <source>Approve the filtered sets</source>
        <translation>اعتماد المجموعات المصفّاة</translation>
    </message>
    <message>
        <source>Approves, on every document listed, the filtered annotator&apos;s set (or the only set); one transaction</source>
        <translation>يعتمد في كل مستند مُدرَج مجموعةَ الموسِّم المختار في التصفية (أو المجموعة الوحيدة)، في معاملة واحدة</translation>
    </message>
    <message>
        <source>{n} approved document(s)</source>
        <translation>المستندات المعتمدة: {n}</translation>
    </message>
    <message>
        <source>{n} document(s) waiting at this level so far</source>
        <translation>المستندات المنتظِرة في هذا المستوى حتى الآن: {n}</translation>
    </message>
    <message>
        <source>{n} document(s) waiting</source>
        <translation>المستندات المنتظِرة: {n}</translation>
    </message>
</context>
<context>
    <name>ReviewWindow</name>
    <message>
        <source>Tawsim review — {name} ({role})</source>
        <translation>توسيم: المراجعة — {name} ({role})</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;تراجع</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>إ&amp;عادة</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;تحرير</translation>
    </message>
    <message>
        <source>&amp;Gold</source>
        <translation>النسخة ال&amp;ذهبية</translation>
    </message>
    <message>
        <source>Gold span: {name}</source>
        <translation>مقطع ذهبي: {name}</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;عرض</translation>
    </message>
    <message>
        <source>&amp;Agreement between annotators…</source>
        <translation>ال&amp;اتفاق بين الموسِّمين…</translation>
    </message>
    <message>
        <source>&amp;Dashboard…</source>
        <translation>&amp;لوحة المتابعة…</translation>
    </message>
    <message>
        <source>&amp;Close review</source>
        <translation>إ&amp;غلاق المراجعة</translation>
    </message>
    <message>
        <source>The queue was updated</source>
        <translation>حُدِّثت القائمة</translation>
    </message>
    <message>
        <source>Tawsim — agreement</source>
        <translation>توسيم — الاتفاق</translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation>قائمة المراجعة</translation>
    </message>
    <message>
        <source>Disagreements (select a row, accept a version)</source>
        <translation>الاختلافات (اختر صفًا ثم اقبل إحدى النسخ)</translation>
    </message>
    <message>
        <source>Leave out (no gold span here)</source>
        <translation>استبعاد (لا مقطع ذهبي هنا)</translation>
    </message>
    <message>
        <source>Edit: select text, press a label key</source>
        <translation>للتحرير: حدِّد نصًا واضغط مفتاح تسمية</translation>
    </message>
    <message>
        <source>Decide per set</source>
        <translation>القرار لكل مجموعة</translation>
    </message>
    <message>
        <source>Comment for the annotator (needed to reject)</source>
        <translation>تعليق للموسِّم (لازم للرفض)</translation>
    </message>
    <message>
        <source>Approve my gold version</source>
        <translation>اعتماد نسختي الذهبية</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>القرارات</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>النوع</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>النص</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>الذهبية</translation>
    </message>
    <message>
        <source>Accept {name}</source>
        <translation>قبول نسخة {name}</translation>
    </message>
    <message>
        <source>Reopen (back to the queue)</source>
        <translation>إعادة فتح (عودة إلى القائمة)</translation>
    </message>
    <message>
        <source>Approve as is</source>
        <translation>اعتماد كما هي</translation>
    </message>
    <message>
        <source>Reject with comment</source>
        <translation>رفض مع تعليق</translation>
    </message>
    <message>
        <source>Not done</source>
        <translation>لم يُنفَّذ</translation>
    </message>
    <message>
        <source>accept {name}&apos;s version</source>
        <translation>قبول نسخة {name}</translation>
    </message>
    <message>
        <source>leave out</source>
        <translation>استبعاد</translation>
    </message>
    <message>
        <source>Select text first, then press a label key.</source>
        <translation>حدِّد نصًا أولًا، ثم اضغط مفتاح تسمية.</translation>
    </message>
    <message>
        <source>Approved</source>
        <translation>اعتُمدت</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>رُفضت</translation>
    </message>
    <message>
        <source> — Ctrl+Z reopens it.</source>
        <translation> — يعيد Ctrl+Z فتحها.</translation>
    </message>
    <message>
        <source>Reopened: the document is back in the queue — Ctrl+Z approves it again.</source>
        <translation>أُعيد فتحها: عاد المستند إلى القائمة — يعيد Ctrl+Z اعتمادها.</translation>
    </message>
    <message>
        <source>Filter the queue first (annotator, label or level).</source>
        <translation>صفِّ القائمة أولًا (بالموسِّم أو التسمية أو المستوى).</translation>
    </message>
    <message>
        <source>Approving</source>
        <translation>جارٍ الاعتماد</translation>
    </message>
    <message>
        <source>Gold set approved — Ctrl+Z reopens it.</source>
        <translation>اعتُمدت المجموعة الذهبية — يعيد Ctrl+Z فتحها.</translation>
    </message>
    <message>
        <source>Approved {n} set(s); each can be reopened (tawsim review reopen).</source>
        <translation>المجموعات المعتمدة: {n}؛ ويمكن إعادة فتح كلٍّ منها (tawsim review reopen).</translation>
    </message>
    <message>
        <source>Skipped {n} document(s) with several candidates: filter by annotator.</source>
        <translation>مستندات تُخطّيت لأن لها أكثر من مرشَّح: {n}؛ صفِّ القائمة حسب الموسِّم.</translation>
    </message>
</context>
<context>
    <name>SearchIndexer</name>
    <message>
        <source>Indexing for search: {left:,} document(s) not searchable yet</source>
        <translation>الفهرسة للبحث: مستندات لا يشملها البحث بعد: {left:,}</translation>
    </message>
    <message>
        <source>Search index not complete: {error}</source>
        <translation>فهرس البحث غير مكتمل: {error}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings — Tawsim</source>
        <translation>الإعدادات — توسيم</translation>
    </message>
    <message>
        <source>System default ({language})</source>
        <translation>لغة النظام ({language})</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>ال&amp;لغة</translation>
    </message>
    <message>
        <source>The language changes when Tawsim is restarted.</source>
        <translation>تتغيّر اللغة عند إعادة تشغيل توسيم.</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>حسب النظام</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>فاتحة</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>داكنة</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>ال&amp;سمة</translation>
    </message>
    <message>
        <source>{family} (bundled)</source>
        <translation>{family} (المضمَّن)</translation>
    </message>
    <message>
        <source>Document &amp;font</source>
        <translation>&amp;خط المستند</translation>
    </message>
    <message>
        <source> pt</source>
        <translation> نقطة</translation>
    </message>
    <message>
        <source>Document text &amp;size</source>
        <translation>&amp;حجم نص المستند</translation>
    </message>
</context>
<context>
    <name>StancePanel</name>
    <message>
        <source>Target</source>
        <translation>الهدف</translation>
    </message>
    <message>
        <source>Stance</source>
        <translation>الموقف</translation>
    </message>
    <message>
        <source>Holder</source>
        <translation>صاحب الموقف</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>الأدلة</translation>
    </message>
    <message>
        <source>Add selection as evidence</source>
        <translation>إضافة التحديد دليلًا</translation>
    </message>
    <message>
        <source>Remove evidence</source>
        <translation>إزالة الدليل</translation>
    </message>
    <message>
        <source>Stance in this document</source>
        <translation>المواقف في هذا المستند</translation>
    </message>
    <message>
        <source>Remove stance</source>
        <translation>إزالة الموقف</translation>
    </message>
    <message>
        <source>{value} ({key})</source>
        <translation>{value} ({key})</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(لا أحد)</translation>
    </message>
</context>
<context>
    <name>TransferActions</name>
    <message>
        <source>Import documents</source>
        <translation>استيراد مستندات</translation>
    </message>
    <message>
        <source>All supported</source>
        <translation>كل الأنواع المدعومة</translation>
    </message>
    <message>
        <source>{added} document(s) added, {dup} already present.</source>
        <translation>مستندات أُضيفت: {added}، وموجودة من قبل: {dup}.</translation>
    </message>
    <message>
        <source>Labels added to the project: </source>
        <translation>تسميات أُضيفت إلى المشروع: </translation>
    </message>
    <message>
        <source>Imported — read what was not stored as given</source>
        <translation>تم الاستيراد — اقرأ ما لم يُخزَّن كما ورد</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… و{n} غيرها</translation>
    </message>
    <message>
        <source>Importing</source>
        <translation>جارٍ الاستيراد</translation>
    </message>
    <message>
        <source>Export approved annotations</source>
        <translation>تصدير الوسوم المعتمدة</translation>
    </message>
    <message>
        <source>Exported {n} record(s) to {path}.</source>
        <translation>سجلات صُدِّرت: {n}، إلى {path}.</translation>
    </message>
    <message>
        <source>Export warnings</source>
        <translation>تحذيرات التصدير</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>جارٍ التصدير</translation>
    </message>
</context>
<context>
    <name>annotation</name>
    <message>
        <source>This document is approved (the gold set); labels are locked.</source>
        <translation>هذا المستند معتمد (المجموعة الذهبية)؛ الوسوم مقفلة.</translation>
    </message>
    <message>
        <source>This document is submitted and waiting for review; labels are locked until a reviewer sends it back.</source>
        <translation>أُرسل هذا المستند وهو بانتظار المراجعة؛ الوسوم مقفلة حتى يعيده المراجِع.</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Password for {login}:</source>
        <translation>كلمة مرور {login}:</translation>
    </message>
    <message>
        <source>The database was repaired:</source>
        <translation>أُصلحت قاعدة البيانات:</translation>
    </message>
</context>
<context>
    <name>operations</name>
    <message>
        <source>Cancel</source>
        <translation>إلغاء</translation>
    </message>
    <message>
        <source>cancelled: nothing was changed.</source>
        <translation>— أُلغي: لم يتغيّر شيء.</translation>
    </message>
</context>
<context>
    <name>undo</name>
    <message>
        <source>Redone: {step}</source>
        <translation>أُعيد: {step}</translation>
    </message>
    <message>
        <source>Undone: {step}</source>
        <translation>تم التراجع عن: {step}</translation>
    </message>
</context>
</TS>
