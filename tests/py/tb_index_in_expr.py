rows = [[1, 2], [3]]
total = rows[0][1] + rows[1][1] * 2
