package ui

import (
	"strings"
	"testing"

	"github.com/obconsole/obconsole/ui/common"
)

// An error on screen is not wiped by routine news: the news waits until the
// error has had its time, then shows.
func TestInfoToastWaitsForAnErrorToExpire(t *testing.T) {
	d := newDriver(t, driverOpts{})
	d.send(common.ToastMsg{Level: common.ToastError, Text: "audit journal: cannot write"})
	d.send(common.ToastMsg{Level: common.ToastInfo, Text: "restart task 101 started"})
	d.requireView("audit journal: cannot write")
	if strings.Contains(d.view(), "task 101 started") {
		t.Fatal("the info toast replaced the error")
	}
	d.send(toastExpiredMsg{seq: d.m.toastSeq})
	d.requireView("restart task 101 started")

	// A newer error still replaces an older one, and news replaces news.
	d.send(common.ToastMsg{Level: common.ToastInfo, Text: "first news"})
	d.requireView("first news")
	d.send(common.ToastMsg{Level: common.ToastError, Text: "second problem"})
	d.requireView("second problem")
}
