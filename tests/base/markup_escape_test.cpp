// markup_escaped: the five characters that end text or a quoted attribute in XML and HTML become references; nothing
// else changes (UTF-8 stays as it is), and escaping is not undone by a parser reading it back as text.
#include "base/markup_escape.h"

#include <gtest/gtest.h>

namespace live2 {
namespace {

TEST(MarkupEscape, TheFiveSpecialCharactersBecomeReferences) {
  EXPECT_EQ(markup_escaped(R"(<a href="x" title='y'>&</a>)"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
}

TEST(MarkupEscape, OtherTextIsUnchanged) {
  EXPECT_EQ(markup_escaped(""), "");
  EXPECT_EQ(markup_escaped("C2H5OH + 3 O2 = 2 CO2, 300 K, \xce\x94G"), "C2H5OH + 3 O2 = 2 CO2, 300 K, \xce\x94G");
  EXPECT_EQ(markup_escaped("&amp;"), "&amp;amp;") << "text that looks escaped is text";
}

}  // namespace
}  // namespace live2
