<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>CanvasModelMixin</name>
    <message numerus="yes">
        <source>It learned from %n of your own digits too.</source>
        <translation>
            <numerusform>It learned from %n of your own digits too.</numerusform>
            <numerusform>It learned from %n of your own digits too.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CanvasPanel</name>
    <message numerus="yes">
        <source>Saved as a %d. You have %n digit(s) of your own; add “My digits” to training on the Data tab to teach the model your handwriting.</source>
        <translation>
            <numerusform>Saved as a %d. You have %n digit of your own; add “My digits” to training on the Data tab to teach the model your handwriting.</numerusform>
            <numerusform>Saved as a %d. You have %n digits of your own; add “My digits” to training on the Data tab to teach the model your handwriting.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message numerus="yes">
        <source>%n more error(s) happened since; the details hold them all.</source>
        <translation>
            <numerusform>%n more error happened since; the details hold it.</numerusform>
            <numerusform>%n more errors happened since; the details hold them all.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message numerus="yes">
        <source>%s parameters · %n problem(s)</source>
        <translation>
            <numerusform>%s parameters · %n problem</numerusform>
            <numerusform>%s parameters · %n problems</numerusform>
        </translation>
    </message>
</context>
</TS>
