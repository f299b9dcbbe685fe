module nceplay

go 1.26
