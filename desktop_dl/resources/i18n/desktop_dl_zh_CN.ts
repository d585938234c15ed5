<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivationView</name>
    <message>
        <source>What the network sees</source>
        <translation>网络看到了什么</translation>
    </message>
    <message>
        <source>Open or train a model to see inside it.</source>
        <translation>打开或训练一个模型，即可查看其内部。</translation>
    </message>
    <message>
        <source>First layer&apos;s filters (%s): %d kernels of %d×%d; blue negative, red positive</source>
        <translation>第一层的滤波器（%s）：%d 个 %d×%d 卷积核；蓝色为负，红色为正</translation>
    </message>
    <message>
        <source>First layer&apos;s weights (%s): what each of %d units looks for</source>
        <translation>第一层的权重（%s）：%d 个单元各自在寻找什么</translation>
    </message>
    <message>
        <source>First layer&apos;s filters</source>
        <translation>第一层的滤波器</translation>
    </message>
    <message>
        <source>%s: %d maps of %d×%d%s</source>
        <translation>%s：%d 张 %d×%d 的特征图%s</translation>
    </message>
    <message>
        <source>%s: %d values%s</source>
        <translation>%s：%d 个值%s</translation>
    </message>
</context>
<context>
    <name>CanvasModelMixin</name>
    <message>
        <source> The canvas keeps using %s.</source>
        <translation> 画布继续使用 %s。</translation>
    </message>
    <message>
        <source>Open a model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The model could not be opened</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <source>Model: %s (%d classes, ONNX Runtime on %s)</source>
        <translation>模型：%s（%d 个类别，ONNX Runtime 运行于 %s）</translation>
    </message>
    <message>
        <source>No model in use.</source>
        <translation>未使用任何模型。</translation>
    </message>
    <message>
        <source>Train digit model</source>
        <translation>训练数字模型</translation>
    </message>
    <message>
        <source>Retrain digit model</source>
        <translation>重新训练数字模型</translation>
    </message>
    <message>
        <source>Train a small CNN on the 5,000 bundled MNIST digits and your own corrected digits</source>
        <translation>用自带的 5,000 张 MNIST 数字和你自己纠正过的数字训练一个小型卷积网络</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Training the digit model: starting</source>
        <translation>正在训练数字模型：开始</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>将在这个批次之后停止…</translation>
    </message>
    <message>
        <source>%d%%</source>
        <translation>%d%%</translation>
    </message>
    <message>
        <source>Training the digit model: epoch %d of %d</source>
        <translation>正在训练数字模型：第 %d 轮（共 %d 轮）</translation>
    </message>
    <message>
        <source>, %.1f%% right so far</source>
        <translation>，目前正确率 %.1f%%</translation>
    </message>
    <message>
        <source>Training the digit model: reading the bundled digits</source>
        <translation>正在训练数字模型：读取自带的数字</translation>
    </message>
    <message>
        <source>Training the digit model: starting TensorFlow</source>
        <translation>正在训练数字模型：启动 TensorFlow</translation>
    </message>
    <message>
        <source>Training the digit model: exporting to ONNX and checking it</source>
        <translation>正在训练数字模型：导出为 ONNX 并检查</translation>
    </message>
    <message>
        <source>Training cancelled; nothing was changed.</source>
        <translation>训练已取消，没有任何改动。</translation>
    </message>
    <message>
        <source>Digit model trained in %d s: %.1f%% right on digits it never saw.</source>
        <translation>数字模型训练完成，用时 %d 秒：在从未见过的数字上正确率 %.1f%%。</translation>
    </message>
    <message>
        <source>Digit model trained in %d s.</source>
        <translation>数字模型训练完成，用时 %d 秒。</translation>
    </message>
    <message numerus="yes">
        <source>It learned from %n of your own digits too.</source>
        <translation>
            <numerusform>它还学习了你自己的 %n 个数字。</numerusform>
        </translation>
    </message>
    <message>
        <source>Draw!</source>
        <translation>来写吧！</translation>
    </message>
    <message>
        <source>Training the digit model failed: %s</source>
        <translation>训练数字模型失败：%s</translation>
    </message>
</context>
<context>
    <name>CanvasPanel</name>
    <message>
        <source>%d px</source>
        <translation>%d 像素</translation>
    </message>
    <message>
        <source>Cleared; back to the pen.</source>
        <translation>已清除；已切换回画笔。</translation>
    </message>
    <message>
        <source>%s is not an image model (it takes inputs of shape %s), so it cannot read drawings.</source>
        <translation>%s 不是图像模型（它的输入形状是 %s），所以无法识别手写。</translation>
    </message>
    <message>
        <source>The model failed on this drawing: %s</source>
        <translation>模型处理这张手写时出错：%s</translation>
    </message>
    <message>
        <source>Draw a digit</source>
        <translation>写一个数字</translation>
    </message>
    <message>
        <source>No model yet: train or open one below.</source>
        <translation>还没有模型：请在下方训练或打开一个。</translation>
    </message>
    <message>
        <source>%d%% sure</source>
        <translation>把握 %d%%</translation>
    </message>
    <message>
        <source>too small to read well: draw bigger</source>
        <translation>太小，难以看清：请画大一些</translation>
    </message>
    <message>
        <source>Cannot show inside this model: %s</source>
        <translation>无法显示这个模型的内部：%s</translation>
    </message>
    <message>
        <source>Draw a digit first.</source>
        <translation>请先写一个数字。</translation>
    </message>
    <message>
        <source>Could not save the drawing: %s</source>
        <translation>无法保存这张手写：%s</translation>
    </message>
    <message numerus="yes">
        <source>Saved as a %d. You have %n digit(s) of your own; add “My digits” to training on the Data tab to teach the model your handwriting.</source>
        <translation>
            <numerusform>已保存为 %d。你现在有 %n 个自己的数字；在“数据”标签页把“我的数字”加入训练，让模型学会你的笔迹。</numerusform>
        </translation>
    </message>
    <message>
        <source>The project names the drawing model %s, which is outside desktop_dl&apos;s own folders, so it was not opened. Use “Open model…” if you trust it.</source>
        <translation>项目指定的手写模型 %s 位于 desktop_dl 自己的文件夹之外，因此没有打开。如果你信任它，请使用“打开模型…”。</translation>
    </message>
    <message>
        <source>Open a picture of digits</source>
        <translation>打开数字图片</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>a photo: paper and lighting removed</source>
        <translation>照片（已去除纸张和光照）</translation>
    </message>
    <message>
        <source>a drawing or scan</source>
        <translation>绘图或扫描件</translation>
    </message>
    <message>
        <source>%s, read as %s: %d digit(s).</source>
        <translation>%s，按%s读取：%d 个数字。</translation>
    </message>
    <message>
        <source>%d digits, left to right: %s</source>
        <translation>%d 个数字，从左到右：%s</translation>
    </message>
    <message>
        <source>%s %d%% sure</source>
        <translation>%s（%d%% 把握）</translation>
    </message>
</context>
<context>
    <name>CanvasPanelLayout</name>
    <message>
        <source>Show what the network sees</source>
        <translation>显示网络看到了什么</translation>
    </message>
    <message>
        <source>Draw one digit, large and in the middle of the dashed box.</source>
        <translation>在虚线框中间写一个大一点的数字。</translation>
    </message>
    <message>
        <source>Pen</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Draw (left button)</source>
        <translation>绘制（鼠标左键）</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮擦</translation>
    </message>
    <message>
        <source>Erase (or drag with the right button)</source>
        <translation>擦除（或按住右键拖动）</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>笔刷</translation>
    </message>
    <message>
        <source>Brush width</source>
        <translation>笔刷粗细</translation>
    </message>
    <message>
        <source>Brush width in pixels of the 280 × 280 drawing (the model sees it ten times smaller)</source>
        <translation>画笔宽度，以 280 × 280 画布的像素计（模型看到的是缩小十倍的图像）</translation>
    </message>
    <message>
        <source>%d px</source>
        <translation>%d 像素</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Remove the last stroke (Ctrl+Z on the canvas)</source>
        <translation>删除最后一笔（在画布上按 Ctrl+Z）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Start again (Delete on the canvas)</source>
        <translation>重新开始（在画布上按 Delete 键）</translation>
    </message>
    <message>
        <source>Open picture…</source>
        <translation>打开图片…</translation>
    </message>
    <message>
        <source>Read the digits in a photo or a scan (PNG, JPEG, …)</source>
        <translation>读取照片或扫描件中的数字（PNG、JPEG 等）</translation>
    </message>
    <message>
        <source>Recognised digit</source>
        <translation>识别出的数字</translation>
    </message>
    <message>
        <source>The 28 × 28 image the model sees</source>
        <translation>模型看到的 28 × 28 图像</translation>
    </message>
    <message>
        <source>What the model sees: your drawing cropped, scaled to 20 pixels and centred in 28 × 28, like the MNIST digits it learned from.</source>
        <translation>模型看到的样子：你的手写经过裁剪、缩放到 20 像素，并在 28 × 28 中居中，与它学习过的 MNIST 数字一样。</translation>
    </message>
    <message>
        <source>That&apos;s wrong…</source>
        <translation>识别错了…</translation>
    </message>
    <message>
        <source>Tell the model the right digit; the drawing is kept in “My digits” for training.</source>
        <translation>告诉模型正确的数字；这张手写会保存到“我的数字”中，供训练使用。</translation>
    </message>
    <message>
        <source>The right answer is:</source>
        <translation>正确答案是：</translation>
    </message>
    <message>
        <source>The right answer is %d</source>
        <translation>正确答案是 %d</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>详细信息…</translation>
    </message>
    <message>
        <source>ONNX Runtime&apos;s full message</source>
        <translation>ONNX Runtime 的完整信息</translation>
    </message>
    <message>
        <source>Load anyway</source>
        <translation>仍然加载</translation>
    </message>
    <message>
        <source>Lower the file&apos;s IR version in memory and load it; the file itself is not changed</source>
        <translation>在内存中降低该文件的 IR 版本后加载；文件本身不会改变</translation>
    </message>
    <message>
        <source>&lt;b&gt;No digit model yet.&lt;/b&gt; Train one on the 5,000 bundled MNIST digits with one click (well under a minute), or open an .onnx model file.</source>
        <translation>&lt;b&gt;还没有数字识别模型。&lt;/b&gt;一键用自带的 5,000 张 MNIST 数字训练一个（用不了一分钟），或打开一个 .onnx 模型文件。</translation>
    </message>
    <message>
        <source>Train the digit model</source>
        <translation>训练数字识别模型</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ClassHistogram</name>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>target value</source>
        <translation>目标值</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>样本数</translation>
    </message>
</context>
<context>
    <name>ClassReportModel</name>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
</context>
<context>
    <name>ColumnStatsModel</name>
    <message>
        <source>%s (target)</source>
        <translation>%s（目标）</translation>
    </message>
    <message>
        <source>numeric</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>categorical (%d values)</source>
        <translation>类别型（%d 个取值）</translation>
    </message>
    <message>
        <source>column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>std</source>
        <translation>标准差</translation>
    </message>
</context>
<context>
    <name>CompileSettingsPanel</name>
    <message>
        <source>How the weights are updated from the gradients. Adam is a safe default; RMSprop and SGD appear in the classic tutorials.</source>
        <translation>根据梯度更新权重的方法。Adam 是稳妥的默认选择；经典教程中也会用 RMSprop 和 SGD。</translation>
    </message>
    <message>
        <source>Size of each update step. Typical: 0.001 for Adam and RMSprop, 0.01 for SGD. Too large: the loss jumps around; too small: training crawls.</source>
        <translation>每次更新的步长。常用值：Adam 和 RMSprop 用 0.001，SGD 用 0.01。太大：损失来回跳动；太小：训练非常缓慢。</translation>
    </message>
    <message>
        <source>auto (from the output layer)</source>
        <translation>自动（根据输出层）</translation>
    </message>
    <message>
        <source>What training minimises. &quot;auto&quot; picks the loss that fits the output layer and the dataset&apos;s task.</source>
        <translation>训练要最小化的量。“自动”会选择适合输出层和数据集任务的损失函数。</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
</context>
<context>
    <name>ConfusionModel</name>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>predicted class</source>
        <translation>预测类别</translation>
    </message>
    <message>
        <source>true %s, predicted %s: %d of %d (%.1f%%)</source>
        <translation>真实为 %s，预测为 %s：%d / %d（%.1f%%）</translation>
    </message>
</context>
<context>
    <name>ConfusionView</name>
    <message>
        <source>Train a classifier to see its confusion matrix on the test set.</source>
        <translation>训练一个分类器，即可查看它在测试集上的混淆矩阵。</translation>
    </message>
    <message>
        <source>No confusion matrix: the run was not a classification with a test set.</source>
        <translation>没有混淆矩阵：这次训练不是带测试集的分类任务。</translation>
    </message>
    <message>
        <source>Test set: %d of %d right (%.1f%%). Rows are the true classes, columns the predictions; off-diagonal cells are mistakes.</source>
        <translation>测试集：%d / %d 正确（%.1f%%）。行是真实类别，列是预测类别；对角线以外的格子是错误。</translation>
    </message>
</context>
<context>
    <name>CurveDiagnosisView</name>
    <message>
        <source>When training starts, this says what the loss curves show.</source>
        <translation>训练开始后，这里会说明损失曲线反映了什么。</translation>
    </message>
    <message>
        <source>After a few epochs this says what the curves show.</source>
        <translation>训练几轮之后，这里会说明曲线反映了什么。</translation>
    </message>
    <message>
        <source>Divergence: the loss became NaN (not a number) at epoch %d.</source>
        <translation>发散：损失在第 %d 轮变成了 NaN（不是数字）。</translation>
    </message>
    <message>
        <source>Divergence: from epoch %d the loss is stuck at the level of random guessing; the network has stopped learning.</source>
        <translation>发散：从第 %d 轮起，损失停留在随机猜测的水平；网络已经不再学习。</translation>
    </message>
    <message>
        <source>Divergence: the training loss rises from epoch %d instead of falling.</source>
        <translation>发散：训练损失从第 %d 轮开始上升，而不是下降。</translation>
    </message>
    <message>
        <source>The steps are too big: lower the learning rate (for example divide it by 10) and train again.</source>
        <translation>步子迈得太大了：降低学习率（例如除以 10）后重新训练。</translation>
    </message>
    <message>
        <source>Overfitting from epoch %d: the validation loss rises while the training loss still falls, so the model is memorising the training samples instead of learning what generalises.</source>
        <translation>从第 %d 轮开始过拟合：训练损失仍在下降，验证损失却在上升，说明模型在死记训练样本，而不是学习能够泛化的规律。</translation>
    </message>
    <message>
        <source>Try dropout, a smaller network, more data, or early stopping.</source>
        <translation>可以试试 Dropout、更小的网络、更多的数据，或提前停止。</translation>
    </message>
    <message>
        <source>Underfitting: the training and validation losses are both still high and still falling (since epoch %d).</source>
        <translation>欠拟合：训练损失和验证损失都还很高，而且仍在下降（从第 %d 轮起）。</translation>
    </message>
    <message>
        <source>The model has not learned all it can: train for more epochs, or give it more capacity (more units or layers).</source>
        <translation>模型还没学到它能学的全部：训练更多轮，或增加模型容量（更多单元或层）。</translation>
    </message>
    <message>
        <source>The curves look healthy: no overfitting, underfitting or divergence.</source>
        <translation>曲线看起来很健康：没有过拟合、欠拟合或发散。</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>Best epoch: %d (%s %s).</source>
        <translation>最佳轮次：第 %d 轮（%s %s）。</translation>
    </message>
    <message>
        <source>Healthy</source>
        <translation>健康</translation>
    </message>
    <message>
        <source>Reading the curves</source>
        <translation>正在读取曲线</translation>
    </message>
    <message>
        <source>Overfitting</source>
        <translation>过拟合</translation>
    </message>
    <message>
        <source>Underfitting</source>
        <translation>欠拟合</translation>
    </message>
    <message>
        <source>Divergence</source>
        <translation>发散</translation>
    </message>
    <message>
        <source>Read from the epoch losses: overfitting when the validation loss rises for several epochs while the training loss falls; underfitting when both are high and still falling; divergence when the loss rises or becomes NaN.</source>
        <translation>根据每轮的损失判断：训练损失下降而验证损失连续几轮上升，是过拟合；两者都很高且仍在下降，是欠拟合；损失上升或变成 NaN，是发散。</translation>
    </message>
</context>
<context>
    <name>DatasetBrowser</name>
    <message>
        <source>Built in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Imported and recent</source>
        <translation>已导入和最近使用</translation>
    </message>
    <message>
        <source>Loading %s…</source>
        <translation>正在加载 %s…</translation>
    </message>
    <message>
        <source>Loading %s… %d%%</source>
        <translation>正在加载 %s… %d%%</translation>
    </message>
    <message>
        <source>&apos;%s&apos; has changed since this project was saved: results may differ from before.</source>
        <translation>“%s”在项目保存后已被修改：结果可能与之前不同。</translation>
    </message>
    <message>
        <source>%s samples</source>
        <translation>%s 个样本</translation>
    </message>
    <message>
        <source>Click a row to see it as the model receives it.</source>
        <translation>点击一行，查看模型接收到的样子。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Row %d&lt;/b&gt; — target: &lt;b&gt;%s&lt;/b&gt;&lt;br&gt;As model input: a rank-1 tensor (ndim 1), shape &lt;code&gt;(%d,)&lt;/code&gt;, dtype float32: &lt;code&gt;[%s]&lt;/code&gt;&lt;br&gt;A batch: &lt;code&gt;(batch, %d)&lt;/code&gt;</source>
        <translation>&lt;b&gt;第 %d 行&lt;/b&gt; — 目标值：&lt;b&gt;%s&lt;/b&gt;&lt;br&gt;作为模型输入：1 阶张量（ndim 1），形状 &lt;code&gt;(%d,)&lt;/code&gt;，数据类型 float32：&lt;code&gt;[%s]&lt;/code&gt;&lt;br&gt;一个批次：&lt;code&gt;(批, %d)&lt;/code&gt;</translation>
    </message>
</context>
<context>
    <name>DatasetBrowserLayout</name>
    <message>
        <source>Datasets</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Import file…</source>
        <translation>导入文件…</translation>
    </message>
    <message>
        <source>mnist.npz, IDX files (…-ubyte.gz), CSV/TSV tables, imdb.npz, boston_housing.npz, cifar-10-python.tar.gz</source>
        <translation>mnist.npz、IDX 文件（…-ubyte.gz）、CSV/TSV 表格、imdb.npz、boston_housing.npz、cifar-10-python.tar.gz</translation>
    </message>
    <message>
        <source>Import folder…</source>
        <translation>导入文件夹…</translation>
    </message>
    <message>
        <source>A folder with one sub-folder of images per class, or a folder of MNIST IDX files</source>
        <translation>每个类别一个图像子文件夹的文件夹，或存放 MNIST IDX 文件的文件夹</translation>
    </message>
    <message>
        <source>Download Keras dataset…</source>
        <translation>下载 Keras 数据集…</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>Input shape</source>
        <translation>输入形状</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Train / validation / test</source>
        <translation>训练 / 验证 / 测试</translation>
    </message>
    <message>
        <source>The same seed gives the same split every time.</source>
        <translation>同一个随机种子每次都给出同样的划分。</translation>
    </message>
    <message>
        <source>Validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试集</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Use for training</source>
        <translation>用于训练</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Mixed order</source>
        <translation>打乱顺序</translation>
    </message>
    <message>
        <source>Files are often sorted by class; mixing shows every class on the first page. Training always shuffles.</source>
        <translation>文件常常按类别排序；打乱后第一页就能看到所有类别。训练时总会打乱顺序。</translation>
    </message>
    <message>
        <source>Fraction of the samples (0.1 = 10%)</source>
        <translation>样本所占比例（0.1 = 10%）</translation>
    </message>
</context>
<context>
    <name>DatasetDetailViews</name>
    <message>
        <source>No dataset</source>
        <translation>没有数据集</translation>
    </message>
    <message>
        <source>Choose a dataset on the left, or import one.</source>
        <translation>在左侧选择一个数据集，或导入一个。</translation>
    </message>
    <message>
        <source>This file brings its own test split (%d samples).</source>
        <translation>这个文件自带测试集（%d 个样本）。</translation>
    </message>
    <message>
        <source>Fraction of the samples (0.1 = 10%)</source>
        <translation>样本所占比例（0.1 = 10%）</translation>
    </message>
    <message>
        <source>How the data was read</source>
        <translation>数据是如何读取的</translation>
    </message>
    <message>
        <source>binary classification</source>
        <translation>二分类</translation>
    </message>
    <message>
        <source>multi-class classification</source>
        <translation>多分类</translation>
    </message>
    <message>
        <source>multi-label classification</source>
        <translation>多标签分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Preprocessing: pixels ÷ 255 → float32 in 0…1; model input %s, a batch is %s.</source>
        <translation>预处理：像素 ÷ 255 → 0…1 之间的 float32；模型输入 %s，一个批次为 %s。</translation>
    </message>
    <message>
        <source>Drawn digits are normalised like MNIST before recognition (cropped to the ink, fitted in 20×20, centred by mass).</source>
        <translation>手写数字在识别前会像 MNIST 一样归一化（裁剪到笔迹范围，缩放到 20×20，并按质心居中）。</translation>
    </message>
    <message>
        <source>one-hot</source>
        <translation>独热编码</translation>
    </message>
    <message>
        <source>ordinal</source>
        <translation>序号编码</translation>
    </message>
    <message>
        <source>none (all columns are numbers)</source>
        <translation>无（所有列都是数值）</translation>
    </message>
    <message>
        <source>rows with missing values dropped</source>
        <translation>删除有缺失值的行</translation>
    </message>
    <message>
        <source>missing values filled with the training mean or mode</source>
        <translation>缺失值用训练集的均值或众数填充</translation>
    </message>
    <message>
        <source>Preprocessing: numeric columns standardised with the mean and standard deviation of the training split; categories %s; %s. Model input %s, a batch is %s.</source>
        <translation>预处理：数值列用训练集的均值和标准差标准化；类别列采用%s；%s。模型输入 %s，一个批次为 %s。</translation>
    </message>
    <message>
        <source>Preprocessing: word ids (the %d most common words), padded or cut to %d per review; model input %s int32, a batch is %s.</source>
        <translation>预处理：词编号（最常见的 %d 个词），每条评论补齐或截断为 %d 个；模型输入 %s int32，一个批次为 %s。</translation>
    </message>
    <message>
        <source>All classes (%s)</source>
        <translation>所有类别（%s）</translation>
    </message>
    <message>
        <source>Class %s (%s)</source>
        <translation>类别 %s（%s）</translation>
    </message>
</context>
<context>
    <name>DatasetFitMixin</name>
    <message>
        <source>Fix output layer</source>
        <translation>修正输出层</translation>
    </message>
    <message>
        <source>%s is regression (predicting numbers): end with Dense(1) with a linear activation and mean squared error.</source>
        <translation>%s 是回归（预测数值）：最后一层用线性激活的 Dense(1)，损失用均方误差。</translation>
    </message>
    <message>
        <source>New from template %s</source>
        <translation>从模板 %s 新建</translation>
    </message>
    <message>
        <source>%s is binary classification: end with Dense(1, sigmoid) and binary cross-entropy.</source>
        <translation>%s 是二分类：最后一层用 Dense(1, sigmoid)，损失用二元交叉熵。</translation>
    </message>
    <message>
        <source>%s has %d classes: end with Dense(%d, softmax) and sparse categorical cross-entropy.</source>
        <translation>%s 有 %d 个类别：最后一层用 Dense(%d, softmax)，损失用稀疏分类交叉熵。</translation>
    </message>
    <message>
        <source>%s is multi-label with %d labels: end with Dense(%d, sigmoid) and binary cross-entropy.</source>
        <translation>%s 是多标签任务，共 %d 个标签：最后一层用 Dense(%d, sigmoid)，损失用二元交叉熵。</translation>
    </message>
    <message>
        <source>auto → %s (metrics: %s).</source>
        <translation>自动 → %s（指标：%s）。</translation>
    </message>
    <message>
        <source>Loss %s (metrics: %s).</source>
        <translation>损失函数 %s（指标：%s）。</translation>
    </message>
    <message>
        <source>Use the input shape of %s</source>
        <translation>使用 %s 的输入形状</translation>
    </message>
</context>
<context>
    <name>DatasetImportActions</name>
    <message>
        <source>Import a dataset file</source>
        <translation>导入数据集文件</translation>
    </message>
    <message>
        <source>Datasets (*.npz *.csv *.tsv *.csv.gz *.txt *.gz *-ubyte *.tar.gz *.zip);;All files (*)</source>
        <translation>数据集 (*.npz *.csv *.tsv *.csv.gz *.txt *.gz *-ubyte *.tar.gz *.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation>导入文件夹</translation>
    </message>
</context>
<context>
    <name>DrawingCanvas</name>
    <message>
        <source>Drawing canvas</source>
        <translation>手写画布</translation>
    </message>
    <message>
        <source>Draw one digit here with the mouse, a pen or a finger.</source>
        <translation>用鼠标、手写笔或手指在这里写一个数字。</translation>
    </message>
</context>
<context>
    <name>ErrorDialog</name>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>显示详细信息</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>隐藏详细信息</translation>
    </message>
    <message numerus="yes">
        <source>%n more error(s) happened since; the details hold them all.</source>
        <translation>
            <numerusform>之后又发生了 %n 个错误；详细信息中包含全部内容。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ErrorReporter</name>
    <message>
        <source>desktop_dl</source>
        <translation>desktop_dl</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>出错了</translation>
    </message>
    <message>
        <source>desktop_dl hit an unexpected error: %s

Your work is still open; saving the project now is a good idea. The details are also in the log file %s.</source>
        <translation>desktop_dl 遇到了意外错误：%s

你的工作仍然打开着，建议现在保存项目。详细信息也记录在日志文件 %s 中。</translation>
    </message>
</context>
<context>
    <name>ErrorReporting</name>
    <message>
        <source>desktop_dl</source>
        <translation>desktop_dl</translation>
    </message>
</context>
<context>
    <name>ExplanationPanel</name>
    <message>
        <source>What is this?</source>
        <translation>这是什么？</translation>
    </message>
    <message>
        <source>Select a layer to see what it does to the tensor, when to use it, what its parameters mean, and its numbers in this model.</source>
        <translation>选中一个层，即可查看它对张量做了什么、何时使用、各参数的含义，以及它在这个模型中的具体数字。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Choose a .keras file…</source>
        <translation>选择 .keras 文件…</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>ONNX (.onnx)</source>
        <translation>ONNX (.onnx)</translation>
    </message>
    <message>
        <source>For the Draw tab, ONNX Runtime and other apps. Checked against Keras after export.</source>
        <translation>供手写页、ONNX Runtime 和其他应用使用。导出后会与 Keras 的结果对照检查。</translation>
    </message>
    <message>
        <source>Keras (.keras)</source>
        <translation>Keras (.keras)</translation>
    </message>
    <message>
        <source>Load it back into Keras to train further or evaluate.</source>
        <translation>可重新载入 Keras 继续训练或评估。</translation>
    </message>
    <message>
        <source>TensorFlow SavedModel (folder)</source>
        <translation>TensorFlow SavedModel（文件夹）</translation>
    </message>
    <message>
        <source>For TensorFlow Serving and the TensorFlow Lite converter.</source>
        <translation>供 TensorFlow Serving 和 TensorFlow Lite 转换器使用。</translation>
    </message>
    <message>
        <source>Python script (.py)</source>
        <translation>Python 脚本 (.py)</translation>
    </message>
    <message>
        <source>The model as Keras code you can read, change and run.</source>
        <translation>把模型写成可以阅读、修改和运行的 Keras 代码。</translation>
    </message>
    <message>
        <source>ONNX operator set. The default suits ONNX Runtime 1.17 and later; choose a lower one for older runtimes.</source>
        <translation>ONNX 算子集版本。默认值适用于 ONNX Runtime 1.17 及以上版本；较旧的运行时请选择更低的版本。</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>ONNX opset:</source>
        <translation>ONNX opset：</translation>
    </message>
    <message>
        <source>Save as:</source>
        <translation>保存为：</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Use for drawing</source>
        <translation>用于手写识别</translation>
    </message>
    <message>
        <source>Recognise drawings on the Draw tab with this ONNX file.</source>
        <translation>在手写页用这个 ONNX 文件识别手写。</translation>
    </message>
    <message>
        <source>Model: &lt;b&gt;%s&lt;/b&gt;&lt;br&gt;&lt;small&gt;%s&lt;/small&gt;</source>
        <translation>模型：&lt;b&gt;%s&lt;/b&gt;&lt;br&gt;&lt;small&gt;%s&lt;/small&gt;</translation>
    </message>
    <message>
        <source>No trained model yet: train one on the Train tab, or choose a .keras file. The Python script needs only the model you built.</source>
        <translation>还没有训练好的模型：请在训练页训练一个，或选择一个 .keras 文件。导出 Python 脚本只需要你搭建的模型。</translation>
    </message>
    <message>
        <source>Train the model first.</source>
        <translation>请先训练模型。</translation>
    </message>
    <message>
        <source>Choose a Keras model</source>
        <translation>选择 Keras 模型</translation>
    </message>
    <message>
        <source>Keras models (*.keras)</source>
        <translation>Keras 模型 (*.keras)</translation>
    </message>
    <message>
        <source>SavedModel folder to create</source>
        <translation>要创建的 SavedModel 文件夹</translation>
    </message>
    <message>
        <source>ONNX models (*.onnx)</source>
        <translation>ONNX 模型 (*.onnx)</translation>
    </message>
    <message>
        <source>Python scripts (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Export as</source>
        <translation>导出为</translation>
    </message>
    <message>
        <source>Choose where to save the export.</source>
        <translation>请选择导出的保存位置。</translation>
    </message>
    <message>
        <source>Train the model first, or choose a .keras file.</source>
        <translation>请先训练模型，或选择一个 .keras 文件。</translation>
    </message>
    <message>
        <source>Exporting… (loading TensorFlow the first time takes a few seconds)</source>
        <translation>正在导出…（第一次加载 TensorFlow 需要几秒钟）</translation>
    </message>
    <message>
        <source>Saved %s. Checked: ONNX checker passed; Keras and ONNX Runtime agree on %d %s to within %s (largest difference).</source>
        <translation>已保存 %s。检查结果：ONNX 检查通过；Keras 与 ONNX Runtime 在 %d 个%s上的结果一致，最大差异为 %s。</translation>
    </message>
    <message>
        <source>Export failed: %s</source>
        <translation>导出失败：%s</translation>
    </message>
    <message>
        <source>Please wait: the export is still running.</source>
        <translation>请稍候：导出仍在进行中。</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the trained model as ONNX, Keras, SavedModel or a Python script</source>
        <translation>把训练好的模型保存为 ONNX、Keras、SavedModel 或 Python 脚本</translation>
    </message>
</context>
<context>
    <name>GettingStartedDialog</name>
    <message>
        <source>Getting Started</source>
        <translation>入门</translation>
    </message>
    <message>
        <source>desktop_dl lets you build, train and use neural networks without writing code. Three ways in, all on the Start tab:</source>
        <translation>desktop_dl 让你无需编写代码即可构建、训练和使用神经网络。“开始”标签页上有三种入门方式：</translation>
    </message>
    <message>
        <source>&lt;b&gt;Draw a digit.&lt;/b&gt; One click trains a small network on 5,000 handwritten digits (under a minute). Then draw a digit on the Draw tab with the mouse: the answer and how sure the network is update as you draw. If it is wrong, press &lt;i&gt;That&apos;s wrong…&lt;/i&gt; and pick the right digit.</source>
        <translation>&lt;b&gt;手写一个数字。&lt;/b&gt;点击一次即可用 5,000 个手写数字训练一个小网络（不到一分钟）。然后在“绘图”标签页用鼠标写一个数字：答案和网络的把握会随着书写实时更新。如果认错了，按&lt;i&gt;认错了…&lt;/i&gt;并选出正确的数字。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Follow a lesson.&lt;/b&gt; The Lessons menu sets up a model, data and settings, and explains what to look for. Press &lt;i&gt;Train this lesson&lt;/i&gt; and read the curves on the Train tab.</source>
        <translation>&lt;b&gt;跟着课程学。&lt;/b&gt;“课程”菜单会为你准备好模型、数据和设置，并说明要观察什么。按&lt;i&gt;训练本课&lt;/i&gt;，然后在“训练”标签页阅读曲线。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Build your own network.&lt;/b&gt; On the Model tab, drag layers from the palette into the stack (or double-click them). Each row shows the output shape and the number of parameters; problems are listed below with a fix. Pick a dataset on the Data tab, press &lt;i&gt;Use for training&lt;/i&gt;, then &lt;i&gt;Start training&lt;/i&gt; on the Train tab.</source>
        <translation>&lt;b&gt;搭建你自己的网络。&lt;/b&gt;在“模型”标签页，把层从层面板拖进层堆栈（或双击它们）。每一行显示输出形状和参数数量；问题会列在下方并附有修复方法。在“数据”标签页选择数据集，按&lt;i&gt;用于训练&lt;/i&gt;，然后在“训练”标签页按&lt;i&gt;开始训练&lt;/i&gt;。</translation>
    </message>
    <message>
        <source>The four tabs</source>
        <translation>四个标签页</translation>
    </message>
    <message>
        <source>&lt;b&gt;Model&lt;/b&gt;: the network, layer by layer. Every edit can be undone (Ctrl+Z).</source>
        <translation>&lt;b&gt;模型&lt;/b&gt;：逐层查看网络。每次编辑都可以撤销（Ctrl+Z）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data&lt;/b&gt;: bundled digits, your own files and folders, Keras datasets.</source>
        <translation>&lt;b&gt;数据&lt;/b&gt;：内置的数字、你自己的文件和文件夹、Keras 数据集。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Train&lt;/b&gt;: settings, live curves, a diagnosis of them, and every run you made.</source>
        <translation>&lt;b&gt;训练&lt;/b&gt;：设置、实时曲线及其诊断，以及你的每一次运行。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Draw&lt;/b&gt;: try an image model with the mouse.</source>
        <translation>&lt;b&gt;绘图&lt;/b&gt;：用鼠标试用图像模型。</translation>
    </message>
    <message>
        <source>Saving</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>File &gt; Save project keeps the model, the data it uses, the settings and the runs in one .ddl file. Work is also saved for recovery every few minutes.</source>
        <translation>“文件 &gt; 保存项目”会把模型、所用数据、设置和各次运行保存在一个 .ddl 文件中。程序还会每隔几分钟自动保存一次，以便恢复。</translation>
    </message>
    <message>
        <source>When something goes wrong</source>
        <translation>出现问题时</translation>
    </message>
    <message>
        <source>Messages say what happened and what to do. Everything shown is also written to the log (Help &gt; Open the log folder), which helps when you report a problem.</source>
        <translation>提示信息会说明发生了什么以及该怎么做。显示过的所有信息也会写入日志（帮助 &gt; 打开日志文件夹），报告问题时很有用。</translation>
    </message>
</context>
<context>
    <name>HandwritingPanel</name>
    <message>
        <source>&lt;b&gt;Your handwriting&lt;/b&gt;</source>
        <translation>&lt;b&gt;你的笔迹&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Learn my handwriting</source>
        <translation>学习我的笔迹</translation>
    </message>
    <message>
        <source>Fine-tune the model on the digits you corrected, mixed with bundled MNIST digits so it does not forget them; you then keep or discard the result.</source>
        <translation>用你纠正过的数字微调模型，并混入内置的 MNIST 数字，免得它忘掉这些数字；之后由你决定保留还是丢弃结果。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Keep the new model</source>
        <translation>保留新模型</translation>
    </message>
    <message>
        <source>Discard it</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>When the model misreads a digit, press “That&apos;s wrong…” and give the right one: your digits are scored here and the model can learn from them.</source>
        <translation>模型认错数字时，点“认错了…”并给出正确的数字：这里会为你的数字打分，模型也可以从中学习。</translation>
    </message>
    <message>
        <source>Your %d digits: %d right (%.0f%%).</source>
        <translation>你的 %d 个数字：认对 %d 个（%.0f%%）。</translation>
    </message>
    <message>
        <source>MNIST test digits: %.1f%%.</source>
        <translation>MNIST 测试数字：%.1f%%。</translation>
    </message>
    <message>
        <source>%d× read as %d</source>
        <translation>%d 次认成 %d</translation>
    </message>
    <message>
        <source>Still read wrongly: %s</source>
        <translation>仍然认错：%s</translation>
    </message>
    <message>
        <source>Correct at least %d digits first.</source>
        <translation>请先纠正至少 %d 个数字。</translation>
    </message>
    <message>
        <source>%s has no Keras file beside it to learn from. Train the digit model (one click) or open a model.onnx from a training run.</source>
        <translation>%s 旁边没有可供学习的 Keras 文件。请训练数字模型（一键），或打开某次训练得到的 model.onnx。</translation>
    </message>
    <message>
        <source>Learning your handwriting…</source>
        <translation>正在学习你的笔迹…</translation>
    </message>
    <message>
        <source>Stopping after this batch…</source>
        <translation>将在这个批次之后停止…</translation>
    </message>
    <message>
        <source>Learning your handwriting: epoch %d of %d</source>
        <translation>正在学习你的笔迹：第 %d 轮，共 %d 轮</translation>
    </message>
    <message>
        <source>Cancelled; the model was not changed.</source>
        <translation>已取消，模型没有改变。</translation>
    </message>
    <message>
        <source>Before → after
your %d held-out digits: %s → %s
MNIST test digits: %s → %s
Keep the new model?</source>
        <translation>之前 → 之后
你留出的 %d 个数字：%s → %s
MNIST 测试数字：%s → %s
保留新模型吗？</translation>
    </message>
    <message>
        <source>Learning your handwriting failed: %s</source>
        <translation>学习你的笔迹失败：%s</translation>
    </message>
    <message>
        <source>Kept: the canvas now uses the model that learned your handwriting.</source>
        <translation>已保留：画布现在使用学过你笔迹的模型。</translation>
    </message>
    <message>
        <source>Discarded; the canvas keeps its model.</source>
        <translation>已丢弃，画布继续使用原来的模型。</translation>
    </message>
</context>
<context>
    <name>ImageFolderDialog</name>
    <message>
        <source>Import image folder — %s</source>
        <translation>导入图像文件夹 — %s</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Grayscale (1 channel)</source>
        <translation>灰度（1 个通道）</translation>
    </message>
    <message>
        <source>Colour (3 channels)</source>
        <translation>彩色（3 个通道）</translation>
    </message>
    <message>
        <source>Classes (one per sub-folder): %s</source>
        <translation>类别（每个子文件夹一个）：%s</translation>
    </message>
    <message>
        <source>Resize to (square)</source>
        <translation>缩放为（正方形）</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
</context>
<context>
    <name>InfoBar</name>
    <message>
        <source>Hide this hint</source>
        <translation>隐藏此提示</translation>
    </message>
</context>
<context>
    <name>KerasDownloadDialog</name>
    <message>
        <source>Download a Keras dataset</source>
        <translation>下载 Keras 数据集</translation>
    </message>
    <message>
        <source>%s — %s MB</source>
        <translation>%s — %s MB</translation>
    </message>
    <message>
        <source> (already on this computer)</source>
        <translation>（已在本机）</translation>
    </message>
    <message>
        <source>Needs an internet connection. Files are checked against Keras&apos;s checksums and kept for next time.</source>
        <translation>需要联网。文件会按 Keras 提供的校验和进行检查，并保留供下次使用。</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Import a copied file…</source>
        <translation>导入复制来的文件…</translation>
    </message>
    <message>
        <source>Offline? Download the file on another computer, copy it here and open it.</source>
        <translation>没有网络？在另一台电脑上下载文件，复制到这里再打开。</translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation>下载已取消。</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Ready: %s</source>
        <translation>已就绪：%s</translation>
    </message>
</context>
<context>
    <name>LayerCommands</name>
    <message>
        <source>Add %s</source>
        <translation>添加 %s</translation>
    </message>
    <message>
        <source>Duplicate %s</source>
        <translation>复制 %s</translation>
    </message>
    <message>
        <source>Delete %s</source>
        <translation>删除 %s</translation>
    </message>
    <message>
        <source>Move %s</source>
        <translation>移动 %s</translation>
    </message>
    <message>
        <source>Set %s of %s</source>
        <translation>设置 %s（%s 层）</translation>
    </message>
    <message>
        <source>Set input shape</source>
        <translation>设置输入形状</translation>
    </message>
    <message>
        <source>Change training settings</source>
        <translation>修改训练设置</translation>
    </message>
    <message>
        <source>Replace model</source>
        <translation>替换模型</translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message>
        <source>Layer stack</source>
        <translation>层堆叠</translation>
    </message>
    <message>
        <source>Selected layer</source>
        <translation>选中的层</translation>
    </message>
    <message>
        <source>Training settings</source>
        <translation>训练设置</translation>
    </message>
    <message>
        <source>Delete layer</source>
        <translation>删除层</translation>
    </message>
    <message>
        <source>Duplicate layer</source>
        <translation>复制层</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Find layer type</source>
        <translation>查找层类型</translation>
    </message>
    <message>
        <source>New from template…</source>
        <translation>从模板新建…</translation>
    </message>
    <message>
        <source>Open spec…</source>
        <translation>打开模型定义…</translation>
    </message>
    <message>
        <source>Save spec as…</source>
        <translation>模型定义另存为…</translation>
    </message>
    <message>
        <source>Export as Python script…</source>
        <translation>导出为 Python 脚本…</translation>
    </message>
    <message numerus="yes">
        <source>%s parameters · %n problem(s)</source>
        <translation>
            <numerusform>%s 个参数 · %n 个问题</numerusform>
        </translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>%s parameters</source>
        <translation>%s 个参数</translation>
    </message>
    <message>
        <source>Insert layer after</source>
        <translation>在其后插入层</translation>
    </message>
</context>
<context>
    <name>LayerPalette</name>
    <message>
        <source>Core</source>
        <translation>核心</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>卷积</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>池化</translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation>循环</translation>
    </message>
    <message>
        <source>Regularisation</source>
        <translation>正则化</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Search layers…</source>
        <translation>搜索层…</translation>
    </message>
    <message>
        <source>Search layers</source>
        <translation>搜索层</translation>
    </message>
    <message>
        <source>Layer palette</source>
        <translation>层面板</translation>
    </message>
    <message>
        <source>Drag a layer into the stack, or press Enter to insert it.</source>
        <translation>把层拖进层堆叠，或按 Enter 键插入。</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
</context>
<context>
    <name>LayerProperties</name>
    <message>
        <source>height</source>
        <translation>高</translation>
    </message>
    <message>
        <source>width</source>
        <translation>宽</translation>
    </message>
    <message>
        <source>own range</source>
        <translation>单独范围</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>到</translation>
    </message>
</context>
<context>
    <name>LayerPropertiesPanel</name>
    <message>
        <source>This layer has no settings.</source>
        <translation>这个层没有可设置的参数。</translation>
    </message>
    <message>
        <source>No layer selected</source>
        <translation>未选中任何层</translation>
    </message>
    <message>
        <source>Select a layer in the stack to change its settings.</source>
        <translation>在层堆叠中选中一个层即可修改它的设置。</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
</context>
<context>
    <name>LayerStackModel</name>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Params</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>%s trainable, %s non-trainable</source>
        <translation>%s 个可训练，%s 个不可训练</translation>
    </message>
    <message>
        <source>The shape of one sample the model receives (the batch dimension is added in front). Select this row to change it.</source>
        <translation>模型接收的单个样本的形状（批次维度加在最前面）。选中这一行即可修改。</translation>
    </message>
    <message>
        <source>any</source>
        <translation>任意</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
</context>
<context>
    <name>LessonController</name>
    <message>
        <source>Training is running: stop it before opening a lesson.</source>
        <translation>正在训练：请先停止训练，再打开课程。</translation>
    </message>
    <message>
        <source>Save the changes to %s before the lesson replaces the model?</source>
        <translation>在课程替换模型之前，保存对 %s 的更改吗？</translation>
    </message>
    <message>
        <source>Set up the lesson %s</source>
        <translation>准备课程 %s</translation>
    </message>
</context>
<context>
    <name>LessonDock</name>
    <message>
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>Train this lesson</source>
        <translation>训练本课</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Runs, drawn together on the curves:</source>
        <translation>以下几次训练的曲线画在一起：</translation>
    </message>
    <message>
        <source>The model, the data and the settings are ready. Press Train this lesson (or Start training in the Train tab).</source>
        <translation>模型、数据和设置都已准备好。点击“训练本课”（或在训练页点击“开始训练”）。</translation>
    </message>
    <message>
        <source>Training run %d of %d…</source>
        <translation>正在进行第 %d 次训练（共 %d 次）…</translation>
    </message>
    <message>
        <source>Done. Read the curves, and the diagnosis of them beside the settings.</source>
        <translation>完成。看看曲线，以及设置下方对曲线的诊断。</translation>
    </message>
    <message>
        <source>The lesson stopped before all its runs finished.</source>
        <translation>课程在所有训练完成之前停止了。</translation>
    </message>
</context>
<context>
    <name>LessonsMenu</name>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>desktop_dl</source>
        <translation>desktop_dl</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
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
        <source>Save the changes to %s before the template replaces the model?</source>
        <translation>在模板替换模型之前，保存对 %s 的更改吗？</translation>
    </message>
    <message>
        <source>Training data: %s</source>
        <translation>训练数据：%s</translation>
    </message>
    <message>
        <source>Training the digit model; draw a digit in the box when it is ready.</source>
        <translation>正在训练数字模型；训练好后，在框中写一个数字。</translation>
    </message>
    <message>
        <source>Drag layers from the palette on the left into the stack, or double-click them.</source>
        <translation>把左侧层面板中的层拖进层堆栈，或双击它们。</translation>
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
        <source>&amp;Start page</source>
        <translation>开始页(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Getting Started</source>
        <translation>入门(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>Open the &amp;log folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;About desktop_dl</source>
        <translation>关于 desktop_dl(&amp;A)</translation>
    </message>
    <message>
        <source>The log folder: %s</source>
        <translation>日志文件夹：%s</translation>
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
    <name>MisclassifiedGallery</name>
    <message>
        <source>After training, the test samples the model got wrong appear here, the most confident mistakes first.</source>
        <translation>训练之后，模型判断错误的测试样本会显示在这里，最有把握却错了的排在最前。</translation>
    </message>
    <message>
        <source>No mistakes on the test set.</source>
        <translation>测试集上没有错误。</translation>
    </message>
    <message>
        <source>No misclassified samples to show for this run.</source>
        <translation>这次训练没有可显示的错分样本。</translation>
    </message>
    <message>
        <source>%d test samples were misclassified (pictures are shown for image datasets only).</source>
        <translation>有 %d 个测试样本被分错（只有图像数据集才显示图片）。</translation>
    </message>
    <message>
        <source>The %d most confident mistakes on the test set: true class → prediction (confidence).</source>
        <translation>测试集上最有把握却错了的 %d 个样本：真实类别 → 预测（置信度）。</translation>
    </message>
    <message>
        <source>test sample %d: true %s, predicted %s with %.1f%% confidence</source>
        <translation>测试样本 %d：真实为 %s，预测为 %s，置信度 %.1f%%</translation>
    </message>
</context>
<context>
    <name>ModelSummaryView</name>
    <message>
        <source>Model summary</source>
        <translation>模型摘要</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>(layers with problems not counted)</source>
        <translation>（有问题的层未计入）</translation>
    </message>
    <message>
        <source>Total params:</source>
        <translation>参数总数：</translation>
    </message>
    <message>
        <source>Trainable:</source>
        <translation>可训练：</translation>
    </message>
    <message>
        <source>Non-trainable:</source>
        <translation>不可训练：</translation>
    </message>
</context>
<context>
    <name>PixelTableModel</name>
    <message>
        <source>row %d, column %d: R %d, G %d, B %d</source>
        <translation>第 %d 行，第 %d 列：R %d，G %d，B %d</translation>
    </message>
    <message>
        <source>row %d, column %d: %d (model input %.3f)</source>
        <translation>第 %d 行，第 %d 列：%d（模型输入 %.3f）</translation>
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
        <source>Automatic (TensorFlow where it is installed)</source>
        <translation>自动（已安装时使用 TensorFlow）</translation>
    </message>
    <message>
        <source>%s (not installed)</source>
        <translation>%s（未安装）</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>Training &amp;backend:</source>
        <translation>训练后端(&amp;B)：</translation>
    </message>
    <message>
        <source>The new language takes effect after you restart desktop_dl.</source>
        <translation>新的语言将在重新启动 desktop_dl 后生效。</translation>
    </message>
    <message>
        <source>While the environment variable %s is set (now %s), it decides the language instead.</source>
        <translation>只要设置了环境变量 %s（当前为 %s），界面语言就由它决定。</translation>
    </message>
    <message>
        <source>The training backend is used from the next training run (each run&apos;s training process starts Keras with it); the environment variable KERAS_BACKEND, when set before desktop_dl starts, decides instead. ONNX export always converts through TensorFlow.</source>
        <translation>训练后端从下一次训练开始生效（每次训练的进程都用它启动 Keras）；如果在 desktop_dl 启动前设置了环境变量 KERAS_BACKEND，则由它决定。ONNX 导出总是通过 TensorFlow 转换。</translation>
    </message>
</context>
<context>
    <name>ProbabilityBars</name>
    <message>
        <source>Probability of each digit</source>
        <translation>每个数字的概率</translation>
    </message>
    <message>
        <source>Most likely %s, %d%%</source>
        <translation>最可能是 %s，%d%%</translation>
    </message>
    <message>
        <source>No drawing yet</source>
        <translation>还没有手写</translation>
    </message>
</context>
<context>
    <name>ProblemList</name>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Problems (%d)</source>
        <translation>问题（%d）</translation>
    </message>
    <message>
        <source>The model has no layers yet.</source>
        <translation>模型还没有任何层。</translation>
    </message>
    <message>
        <source>No problems: the model can be built and trained.</source>
        <translation>没有问题：模型可以搭建和训练。</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Layer %d (%s)</source>
        <translation>第 %d 层（%s）</translation>
    </message>
</context>
<context>
    <name>ProjectController</name>
    <message>
        <source>&amp;New project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open project…</source>
        <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>没有最近的项目</translation>
    </message>
    <message>
        <source>Clear the list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>%s[*] — desktop_dl</source>
        <translation>%s[*] — desktop_dl</translation>
    </message>
    <message>
        <source>Training is running. Stop it (or let it finish) before starting or opening another project.</source>
        <translation>正在训练。请先停止训练（或等它结束），再新建或打开另一个项目。</translation>
    </message>
    <message>
        <source>Cannot open the project</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>%s was made by an older desktop_dl; it will be saved in the new format.</source>
        <translation>%s 由旧版 desktop_dl 创建；保存时将使用新格式。</translation>
    </message>
    <message>
        <source>Still saving…</source>
        <translation>仍在保存…</translation>
    </message>
    <message>
        <source>Cannot save the project</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>Saving %s…</source>
        <translation>正在保存 %s…</translation>
    </message>
    <message>
        <source>The project was not saved.</source>
        <translation>项目没有保存。</translation>
    </message>
    <message>
        <source>Saved %s</source>
        <translation>已保存 %s</translation>
    </message>
</context>
<context>
    <name>ProjectRecoveryMixin</name>
    <message>
        <source>Cannot recover the project</source>
        <translation>无法恢复项目</translation>
    </message>
</context>
<context>
    <name>ProjectStateMixin</name>
    <message>
        <source>This project names “My digits” as its data but does not carry them, so your own digits were not added to it. Choose the data again on the Data tab.</source>
        <translation>此项目把“我的数字”指定为数据，但并未包含这些数字，因此没有加入你自己的数字。请在数据页重新选择数据。</translation>
    </message>
    <message>
        <source>Part of the project could not be restored (%s: %s). The rest of it is open.</source>
        <translation>项目的一部分无法恢复（%s：%s）。其余部分已打开。</translation>
    </message>
    <message>
        <source>The file you chose for “%s” is not the same data the project was saved with (its content hash differs). New runs may not be comparable with the saved ones.</source>
        <translation>你为“%s”选择的文件与项目保存时的数据不同（内容哈希不一致）。新的训练结果可能无法与保存的结果比较。</translation>
    </message>
</context>
<context>
    <name>Prompts</name>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Save the changes to %s before closing it?</source>
        <translation>关闭之前保存对 %s 的更改吗？</translation>
    </message>
    <message>
        <source>If you don&apos;t save, your changes since the last save are lost.</source>
        <translation>如果不保存，上次保存以来的更改将会丢失。</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>desktop_dl projects (*.ddl);;All files (*)</source>
        <translation>desktop_dl 项目 (*.ddl);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>desktop_dl projects (*.ddl)</source>
        <translation>desktop_dl 项目 (*.ddl)</translation>
    </message>
    <message>
        <source>an untitled project</source>
        <translation>未命名项目</translation>
    </message>
    <message>
        <source>Recover unsaved work?</source>
        <translation>恢复未保存的工作？</translation>
    </message>
    <message>
        <source>desktop_dl did not close normally last time. Recover the unsaved work on %s (autosaved %s)?</source>
        <translation>desktop_dl 上次没有正常关闭。要恢复 %s 中未保存的工作吗（自动保存于 %s）？</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Dataset not found</source>
        <translation>找不到数据集</translation>
    </message>
    <message>
        <source>Locate…</source>
        <translation>查找…</translation>
    </message>
    <message>
        <source>Locate %s</source>
        <translation>查找 %s</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
</context>
<context>
    <name>RobustnessStrip</name>
    <message>
        <source>&lt;b&gt;How sure is it?&lt;/b&gt; Your drawing changed a little; a red box is where the answer changes.</source>
        <translation>&lt;b&gt;它有多确定？&lt;/b&gt; 把你的画稍作改变；红框表示答案变了。</translation>
    </message>
    <message>
        <source>Draw a digit and pause: the strip shows how the answer holds up when the drawing is moved, resized, turned or drawn with another pen.</source>
        <translation>画一个数字然后停一下：这一栏显示把画移动、缩放、旋转或换一支笔画时，答案是否还站得住。</translation>
    </message>
    <message>
        <source>as drawn</source>
        <translation>原样</translation>
    </message>
    <message>
        <source>slant ‹</source>
        <translation>左倾 ‹</translation>
    </message>
    <message>
        <source>slant ›</source>
        <translation>右倾 ›</translation>
    </message>
    <message>
        <source>pen × %s</source>
        <translation>笔宽 × %s</translation>
    </message>
    <message>
        <source>The answer changes for: %s.</source>
        <translation>答案在这些情况下改变：%s。</translation>
    </message>
    <message>
        <source>The answer stays %s for every change shown.</source>
        <translation>在所示的每种改变下，答案都保持为 %s。</translation>
    </message>
</context>
<context>
    <name>RunHistoryModel</name>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Val loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>Val metric</source>
        <translation>验证指标</translation>
    </message>
    <message>
        <source>Test metric</source>
        <translation>测试指标</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>stopped early</source>
        <translation>提前停止</translation>
    </message>
    <message>
        <source>diverged</source>
        <translation>已发散</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>SampleGridModel</name>
    <message>
        <source>Sample %d, label %s</source>
        <translation>样本 %d，标签 %s</translation>
    </message>
</context>
<context>
    <name>SampleView</name>
    <message>
        <source>Pixel values (0 = black, 255 = white)</source>
        <translation>像素值（0 = 黑，255 = 白）</translation>
    </message>
    <message>
        <source>Click a sample to see it up close.</source>
        <translation>点击一个样本即可放大查看。</translation>
    </message>
    <message>
        <source>Loading sample %d…</source>
        <translation>正在加载样本 %d…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sample %d&lt;/b&gt; — label: &lt;b&gt;%s&lt;/b&gt;</source>
        <translation>&lt;b&gt;样本 %d&lt;/b&gt; — 标签：&lt;b&gt;%s&lt;/b&gt;</translation>
    </message>
    <message>
        <source>stored as</source>
        <translation>存储为</translation>
    </message>
    <message>
        <source>model input</source>
        <translation>模型输入</translation>
    </message>
    <message>
        <source>a rank-%d tensor (ndim %d)</source>
        <translation>%d 阶张量（ndim %d）</translation>
    </message>
    <message>
        <source>shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>dtype</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>%s, values 0…1 (pixel ÷ 255)</source>
        <translation>%s，取值 0…1（像素 ÷ 255）</translation>
    </message>
    <message>
        <source>batch shape</source>
        <translation>批次形状</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>绘图</translation>
    </message>
    <message>
        <source>Undo the last stroke (on the canvas)</source>
        <translation>撤销上一笔（在画布上）</translation>
    </message>
    <message>
        <source>Clear the canvas</source>
        <translation>清空画布</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete 键</translation>
    </message>
    <message>
        <source>Erase while drawing</source>
        <translation>书写时擦除</translation>
    </message>
    <message>
        <source>Right mouse button</source>
        <translation>鼠标右键</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <source>Command</source>
        <translation>命令</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>按键</translation>
    </message>
</context>
<context>
    <name>SpecFilesMixin</name>
    <message>
        <source>Open model spec</source>
        <translation>打开模型定义</translation>
    </message>
    <message>
        <source>Model specs (*.json);;All files (*)</source>
        <translation>模型定义 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save model spec</source>
        <translation>保存模型定义</translation>
    </message>
    <message>
        <source>Model specs (*.json)</source>
        <translation>模型定义 (*.json)</translation>
    </message>
    <message>
        <source>Export as Python script</source>
        <translation>导出为 Python 脚本</translation>
    </message>
    <message>
        <source>Python scripts (*.py)</source>
        <translation>Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>New from template %s</source>
        <translation>从模板 %s 新建</translation>
    </message>
    <message>
        <source>Open %s</source>
        <translation>打开 %s</translation>
    </message>
    <message>
        <source>Cannot use the template</source>
        <translation>无法使用该模板</translation>
    </message>
    <message>
        <source>Cannot open the model spec</source>
        <translation>无法打开模型定义</translation>
    </message>
    <message>
        <source>Cannot save the model spec</source>
        <translation>无法保存模型定义</translation>
    </message>
    <message>
        <source>Cannot export the script</source>
        <translation>无法导出脚本</translation>
    </message>
    <message>
        <source>Cannot write %s: %s.</source>
        <translation>无法写入 %s：%s。</translation>
    </message>
</context>
<context>
    <name>StackView</name>
    <message>
        <source>Drag layers here from the palette, or select a layer type and press Enter.</source>
        <translation>从层面板把层拖到这里，或选中一种层类型后按 Enter 键。</translation>
    </message>
</context>
<context>
    <name>StartPage</name>
    <message>
        <source>Welcome to desktop_dl</source>
        <translation>欢迎使用 desktop_dl</translation>
    </message>
    <message>
        <source>Build, train and use neural networks without writing code. Where would you like to start?</source>
        <translation>无需编写代码即可构建、训练和使用神经网络。你想从哪里开始？</translation>
    </message>
    <message>
        <source>Draw a digit (one-click model)</source>
        <translation>手写数字（一键训练模型）</translation>
    </message>
    <message>
        <source>Trains a small network on 5,000 handwritten digits (under a minute), then recognises what you draw with the mouse.</source>
        <translation>用 5,000 个手写数字训练一个小网络（不到一分钟），然后识别你用鼠标写的数字。</translation>
    </message>
    <message>
        <source>Follow a lesson</source>
        <translation>跟着课程学</translation>
    </message>
    <message>
        <source>Short exercises that set up a model, data and settings for you, explain what to look for and train with one button.</source>
        <translation>简短的练习：为你准备好模型、数据和设置，说明要观察什么，一键开始训练。</translation>
    </message>
    <message>
        <source>Build your own network</source>
        <translation>搭建你自己的网络</translation>
    </message>
    <message>
        <source>Drag layers from the palette into the stack; the shapes and parameter counts update as you go. Then train it on a dataset.</source>
        <translation>把层从层面板拖进层堆栈；形状和参数数量随之实时更新。然后用数据集训练它。</translation>
    </message>
    <message>
        <source>Open project…</source>
        <translation>打开项目…</translation>
    </message>
    <message>
        <source>Recent projects</source>
        <translation>最近的项目</translation>
    </message>
    <message>
        <source>No recent projects yet: projects you save or open are listed here.</source>
        <translation>还没有最近的项目：你保存或打开的项目会列在这里。</translation>
    </message>
    <message>
        <source>You can come back to this page at any time: Help &gt; Start page, or the Start tab.</source>
        <translation>你可以随时回到此页：帮助 &gt; 开始页，或点“开始”标签页。</translation>
    </message>
    <message>
        <source>%s (not found)</source>
        <translation>%s（未找到）</translation>
    </message>
</context>
<context>
    <name>SummaryModel</name>
    <message>
        <source>Layer (type)</source>
        <translation>层（类型）</translation>
    </message>
    <message>
        <source>Output Shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <source>Param #</source>
        <translation>参数个数</translation>
    </message>
</context>
<context>
    <name>TableImportDialog</name>
    <message>
        <source>Import table — %s</source>
        <translation>导入表格 — %s</translation>
    </message>
    <message>
        <source>Proposed from the target</source>
        <translation>根据目标列推荐</translation>
    </message>
    <message>
        <source>Binary classification</source>
        <translation>二分类</translation>
    </message>
    <message>
        <source>Multi-class classification</source>
        <translation>多分类</translation>
    </message>
    <message>
        <source>Regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Drop rows with a missing value</source>
        <translation>删除有缺失值的行</translation>
    </message>
    <message>
        <source>Fill with the training mean (numbers) or most common value</source>
        <translation>用训练集的均值（数值列）或最常见的值填充</translation>
    </message>
    <message>
        <source>One-hot (one input per category)</source>
        <translation>独热编码（每个类别一个输入）</translation>
    </message>
    <message>
        <source>Ordinal (one number per category)</source>
        <translation>序号（每个类别一个数）</translation>
    </message>
    <message>
        <source>Detected</source>
        <translation>自动检测</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>目标列</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Missing values</source>
        <translation>缺失值</translation>
    </message>
    <message>
        <source>Categories</source>
        <translation>类别列</translation>
    </message>
    <message>
        <source>Delimiter</source>
        <translation>分隔符</translation>
    </message>
    <message>
        <source>Numeric columns are standardised with the mean and standard deviation of the training split; the same numbers are used at inference.</source>
        <translation>数值列用训练集的均值和标准差标准化；推理时使用同样的数值。</translation>
    </message>
    <message>
        <source>binary classification</source>
        <translation>二分类</translation>
    </message>
    <message>
        <source>multi-class classification</source>
        <translation>多分类</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>Proposed task: %s</source>
        <translation>推荐的任务：%s</translation>
    </message>
    <message>
        <source>The first row holds the column names</source>
        <translation>第一行是列名</translation>
    </message>
    <message>
        <source>Decimal mark</source>
        <translation>小数点</translation>
    </message>
    <message>
        <source>Text encoding</source>
        <translation>文本编码</translation>
    </message>
    <message>
        <source>The first rows, as they will be read:</source>
        <translation>前几行（按将要读取的方式显示）：</translation>
    </message>
    <message>
        <source>comma</source>
        <translation>逗号</translation>
    </message>
    <message>
        <source>semicolon</source>
        <translation>分号</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>vertical bar</source>
        <translation>竖线</translation>
    </message>
    <message>
        <source>space</source>
        <translation>空格</translation>
    </message>
    <message>
        <source>point (1.5)</source>
        <translation>点（1.5）</translation>
    </message>
    <message>
        <source>comma (1,5)</source>
        <translation>逗号（1,5）</translation>
    </message>
    <message>
        <source>Detected: %s</source>
        <translation>自动检测：%s</translation>
    </message>
    <message>
        <source>Western European (cp1252)</source>
        <translation>西欧（cp1252）</translation>
    </message>
    <message>
        <source>Chinese (GBK)</source>
        <translation>中文（GBK）</translation>
    </message>
    <message>
        <source>Japanese (Shift-JIS)</source>
        <translation>日文（Shift-JIS）</translation>
    </message>
</context>
<context>
    <name>TableRowsModel</name>
    <message>
        <source>%s (target)</source>
        <translation>%s（目标）</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <source>New from template</source>
        <translation>从模板新建</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>模板</translation>
    </message>
    <message>
        <source>%s
%s parameters</source>
        <translation>%s
%s 个参数</translation>
    </message>
    <message>
        <source>Use template</source>
        <translation>使用模板</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>%s, learning rate %s</source>
        <translation>%s，学习率 %s</translation>
    </message>
    <message>
        <source>Made for</source>
        <translation>适用于</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>There is no model to train: build one in the Model tab.</source>
        <translation>没有可训练的模型：请在模型页搭建一个。</translation>
    </message>
    <message>
        <source>The model has no layers yet: add layers in the Model tab, or start from a template.</source>
        <translation>模型还没有任何层：请在模型页添加层，或从模板开始。</translation>
    </message>
    <message>
        <source>Preparing the data and building the model…</source>
        <translation>正在准备数据并搭建模型…</translation>
    </message>
    <message>
        <source>No dataset was chosen in the Data tab, so this run uses the bundled MNIST digits (5,000 images).</source>
        <translation>没有在数据页选择数据集，所以这次训练使用自带的 MNIST 数字（5,000 张图像）。</translation>
    </message>
    <message>
        <source>Training on %d samples…</source>
        <translation>正在用 %d 个样本训练…</translation>
    </message>
    <message>
        <source>Saving the model and exporting it to ONNX…</source>
        <translation>正在保存模型并导出为 ONNX…</translation>
    </message>
    <message>
        <source>Epoch %d of %d · batch %d of %d · %s samples/s</source>
        <translation>第 %d 轮（共 %d 轮）· 第 %d 批（共 %d 批）· 每秒 %s 个样本</translation>
    </message>
    <message>
        <source>about %s left</source>
        <translation>约剩 %s</translation>
    </message>
    <message>
        <source>Run %d</source>
        <translation>第 %d 次训练</translation>
    </message>
    <message>
        <source>Trained on the bundled MNIST digits because no dataset was chosen.</source>
        <translation>因为没有选择数据集，已使用自带的 MNIST 数字训练。</translation>
    </message>
    <message>
        <source>Test %s: %s.</source>
        <translation>测试集 %s：%s。</translation>
    </message>
    <message>
        <source>The Draw tab now uses this model.</source>
        <translation>手写页现在使用这个模型。</translation>
    </message>
    <message>
        <source>%d epochs in %s · %s samples/s</source>
        <translation>%d 轮，用时 %s · 每秒 %s 个样本</translation>
    </message>
    <message>
        <source>The run was not started: %s</source>
        <translation>训练没有开始：%s</translation>
    </message>
    <message>
        <source>Training failed: %s</source>
        <translation>训练失败：%s</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Paused. Resume to go on, or stop to keep the weights reached so far.</source>
        <translation>已暂停。点击继续以接着训练，或停止以保留目前的权重。</translation>
    </message>
    <message>
        <source>Stopping after the current batch…</source>
        <translation>将在当前批次之后停止…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data:&lt;/b&gt; none chosen; training uses the bundled MNIST digits (5,000). Pick another in the Data tab.</source>
        <translation>&lt;b&gt;数据：&lt;/b&gt;未选择；训练将使用自带的 MNIST 数字（5,000 张）。可在数据页选择其他数据集。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data:&lt;/b&gt; %s</source>
        <translation>&lt;b&gt;数据：&lt;/b&gt;%s</translation>
    </message>
</context>
<context>
    <name>TrainingPanelLayout</name>
    <message>
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>训练记录</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Mistakes</source>
        <translation>错误样本</translation>
    </message>
    <message>
        <source>Use this model for drawing</source>
        <translation>用这个模型识别手写</translation>
    </message>
    <message>
        <source>Remove from history</source>
        <translation>从历史中删除</translation>
    </message>
    <message>
        <source>Tick runs to draw their epoch curves (dashed) beside the current ones; select a run to see its confusion matrix and mistakes.</source>
        <translation>勾选训练记录，即可把它们每轮的曲线（虚线）与当前曲线画在一起；选中一次训练可查看它的混淆矩阵和错误样本。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
</context>
<context>
    <name>TrainingPlots</name>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>batch loss</source>
        <translation>批次损失</translation>
    </message>
    <message>
        <source>batch loss (smoothed)</source>
        <translation>批次损失（平滑）</translation>
    </message>
    <message>
        <source>train loss (epoch)</source>
        <translation>训练损失（每轮）</translation>
    </message>
    <message>
        <source>validation loss</source>
        <translation>验证损失</translation>
    </message>
    <message>
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>epoch %.2f</source>
        <translation>第 %.2f 轮</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>val loss</source>
        <translation>验证损失</translation>
    </message>
</context>
<context>
    <name>TrainingSettingsForm</name>
    <message>
        <source>Optimizer</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Nesterov</source>
        <translation>Nesterov 动量</translation>
    </message>
    <message>
        <source>Momentum (SGD)</source>
        <translation>动量（SGD）</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>恒定</translation>
    </message>
    <message>
        <source>step: halve every 10 epochs</source>
        <translation>阶梯：每 10 轮减半</translation>
    </message>
    <message>
        <source>cosine decay</source>
        <translation>余弦衰减</translation>
    </message>
    <message>
        <source>reduce on plateau</source>
        <translation>停滞时降低</translation>
    </message>
    <message>
        <source>Schedule</source>
        <translation>学习率调度</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批次大小</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>数据划分</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Stop when the validation loss has not improved for this many epochs, and keep the best epoch&apos;s weights.</source>
        <translation>验证损失连续这么多轮没有改善时停止训练，并保留最佳一轮的权重。</translation>
    </message>
    <message>
        <source>Early stopping patience</source>
        <translation>提前停止的耐心轮数</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>The same seed gives the same run again.</source>
        <translation>同一个随机种子会得到同样的训练结果。</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Mixed precision</source>
        <translation>混合精度</translation>
    </message>
    <message>
        <source>float16 arithmetic on GPUs: faster on recent NVIDIA cards. Ignored on the CPU.</source>
        <translation>在 GPU 上使用 float16 运算：在较新的 NVIDIA 显卡上更快。在 CPU 上忽略此项。</translation>
    </message>
    <message>
        <source>Automatic uses the first GPU when there is one, else the CPU.</source>
        <translation>自动：有 GPU 时使用第一块 GPU，否则使用 CPU。</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>后端</translation>
    </message>
    <message>
        <source>%s (set in Preferences)</source>
        <translation>%s（在“首选项”中设置）</translation>
    </message>
    <message>
        <source>change in the Model tab</source>
        <translation>在“模型”页中修改</translation>
    </message>
    <message>
        <source>from the model (%s)</source>
        <translation>来自模型（%s）</translation>
    </message>
    <message>
        <source>%s, learning rate %s — from the model (%s)</source>
        <translation>%s，学习率 %s —— 来自模型（%s）</translation>
    </message>
    <message>
        <source>change in the Data tab</source>
        <translation>在“数据”页中修改</translation>
    </message>
    <message>
        <source>the dataset&apos;s (%s)</source>
        <translation>数据集的设置（%s）</translation>
    </message>
    <message>
        <source>train / validation / test: %s (%s)</source>
        <translation>训练 / 验证 / 测试：%s（%s）</translation>
    </message>
    <message>
        <source>CPU — %s</source>
        <translation>CPU — %s</translation>
    </message>
    <message>
        <source>All %d GPUs (mirrored)</source>
        <translation>全部 %d 块 GPU（镜像并行）</translation>
    </message>
</context>
</TS>
