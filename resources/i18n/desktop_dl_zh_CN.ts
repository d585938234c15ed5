<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DatasetBrowser</name>
    <message>
        <source>Datasets</source>
        <translation>数据集</translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message>
        <source>Layer editor</source>
        <translation>层编辑器</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>desktop_dl</source>
        <translation>desktop_dl</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>手写</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Training data: %s</source>
        <translation>训练数据：%s</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;About desktop_dl</source>
        <translation>关于 desktop_dl(&amp;A)</translation>
    </message>
    <message>
        <source>About desktop_dl</source>
        <translation>关于 desktop_dl</translation>
    </message>
    <message>
        <source>&lt;b&gt;desktop_dl&lt;/b&gt; %s&lt;p&gt;Build, train and use neural networks without writing code. Models are built and trained with Keras, exported to ONNX and run with ONNX Runtime.&lt;/p&gt;&lt;p&gt;Bundled digits: a 5,000-image subset of MNIST (Yann LeCun, Corinna Cortes, Christopher J. C. Burges), CC BY-SA 3.0.&lt;/p&gt;</source>
        <translation>&lt;b&gt;desktop_dl&lt;/b&gt; %s&lt;p&gt;无需编写代码即可搭建、训练和使用神经网络。模型用 Keras 搭建和训练，导出为 ONNX，并用 ONNX Runtime 运行。&lt;/p&gt;&lt;p&gt;自带的手写数字：MNIST 的 5,000 张图像子集（Yann LeCun、Corinna Cortes、Christopher J. C. Burges），CC BY-SA 3.0 许可。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>Same as the system (%s)</source>
        <translation>跟随系统（%s）</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>The new language takes effect after you restart desktop_dl.</source>
        <translation>新的语言将在重新启动 desktop_dl 后生效。</translation>
    </message>
    <message>
        <source>While the environment variable %s is set (now %s), it decides the language instead.</source>
        <translation>只要设置了环境变量 %s（当前为 %s），界面语言就由它决定。</translation>
    </message>
</context>
</TS>
